using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>
/// An iTop the contract scenarios run against: the sandbox's emulator or the real iTop 3.2 (ITIL).
/// The connector's own client talks to it; <see cref="AsTechnicianAsync"/> plays the technician
/// over REST (on the real one as the least privileged agent account).
/// </summary>
internal abstract class ItopTarget : IAsyncDisposable
{
    public const string Sandbox = "sandbox";
    public const string Real = "real";

    /// <summary>The real iTop, the connector logged in as the least privileged account (Support Agent + REST Services User).</summary>
    public const string RealAsAgent = "real-as-support-agent";

    public abstract string Name { get; }

    /// <summary>The collège the scenarios write for: its UAI, organization and caller.</summary>
    public abstract (string Code, int OrgId, int CallerId) College { get; }

    /// <summary>The team and agent a technician assigns a ticket to.</summary>
    public abstract (int TeamId, int AgentId) Support { get; }

    /// <summary>Service and subcategories (incident, service request) the hub's category "reseau" maps to.</summary>
    public (int Service, int IncidentSubcategory, int RequestSubcategory) Services { get; protected set; }

    /// <summary>Settings that point a connector at this iTop (<c>Itop:*</c>).</summary>
    public abstract Dictionary<string, string?> ConnectorSettings();

    /// <summary>Sends the connector's iTop calls where this iTop answers.</summary>
    public abstract void Serve(IServiceCollection services);

    /// <summary>A REST call (json_data) as the technician.</summary>
    public abstract Task<JsonElement> AsTechnicianAsync(JsonObject data);

    public static async Task<ItopTarget> StartAsync(string name)
    {
        ItopTarget target = name switch
        {
            Real => new RealItopTarget(connectorAsAgent: false),
            RealAsAgent => new RealItopTarget(connectorAsAgent: true),
            _ => new SandboxItopTarget(),
        };
        await target.PrepareAsync();
        return target;
    }

    public abstract ValueTask DisposeAsync();

    protected abstract Task PrepareAsync();

    protected static FormUrlEncodedContent Form(string user, string password, JsonObject data) => new(new Dictionary<string, string>
    {
        ["auth_user"] = user,
        ["auth_pwd"] = password,
        ["json_data"] = data.ToJsonString(),
    });

    /// <summary>The key of the single object of an answer, checked to be a success.</summary>
    public static int KeyOf(JsonElement answer)
    {
        Assert.That(answer.GetProperty("code").GetInt32(), Is.Zero, answer.ToString());
        var created = answer.GetProperty("objects").EnumerateObject().Single().Value;
        return int.Parse(created.GetProperty("key").GetString()!, CultureInfo.InvariantCulture);
    }
}

/// <summary>The sandbox's iTop emulator, in memory (ITIL by default).</summary>
internal sealed class SandboxItopTarget : ItopTarget
{
    private readonly SandboxItop _sandbox = new();

    public override string Name => Sandbox;

    public override (string Code, int OrgId, int CallerId) College => ("0931234X", 12, 34);

    public override (int TeamId, int AgentId) Support => (2, 5);

    public override Dictionary<string, string?> ConnectorSettings() => new(SandboxItop.ConnectorSettings());

    public override void Serve(IServiceCollection services) => _sandbox.Serve(services);

    public override async Task<JsonElement> AsTechnicianAsync(JsonObject data)
    {
        using var client = _sandbox.CreateClient();
        using var response = await client.PostAsync(new Uri("/itop/webservices/rest.php?version=1.3", UriKind.Relative), Form(SandboxItop.AuthUser, SandboxItop.AuthPassword, data));
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public override ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    /// <summary>The emulator takes any service id: it keeps no service catalogue.</summary>
    protected override Task PrepareAsync()
    {
        _ = _sandbox.Server;
        Services = (3, 31, 32);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The real iTop 3.2 with the ITIL modules that deploy/peers.sh runs (<see cref="PeerTools.Itop"/>). Its fixtures hold no
/// service: one service with a subcategory per request type is created once, as the hub's REST
/// account, and found again by name on later runs. The connector logs in as the hub's REST account
/// (Administrator) or, <paramref name="connectorAsAgent"/>, as the support agent: the README says
/// that profile is enough.
/// </summary>
internal sealed class RealItopTarget(bool connectorAsAgent) : ItopTarget
{
    private const string ServiceName = "TicketHub - contrat des tests";

    private readonly HttpClient _http = new();
    private readonly RealItop _settings = PeerTools.Itop;

    public override string Name => connectorAsAgent ? RealAsAgent : Real;

    public override (string Code, int OrgId, int CallerId) College => (_settings.Orgs[0].Code, _settings.Orgs[0].OrgId, _settings.Orgs[0].CallerId);

    public override (int TeamId, int AgentId) Support => (_settings.TeamId, _settings.AgentId);

    public override Dictionary<string, string?> ConnectorSettings() => new()
    {
        ["Itop:BaseUrl"] = _settings.Rest,
        ["Itop:PublicUrl"] = _settings.Url,
        ["Itop:AuthUser"] = connectorAsAgent ? _settings.AgentUser : _settings.User,
        ["Itop:AuthPassword"] = connectorAsAgent ? _settings.AgentPassword : _settings.Password,
    };

    public override void Serve(IServiceCollection services)
    {
    }

    public override Task<JsonElement> AsTechnicianAsync(JsonObject data) => CallAsync(_settings.AgentUser, _settings.AgentPassword, data);

    public override ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override async Task PrepareAsync()
    {
        var service = await FindOrCreateAsync("Service", $"SELECT Service WHERE name = '{ServiceName}'",
            new JsonObject { ["name"] = ServiceName, ["org_id"] = 1, ["status"] = "production" });
        var incident = await FindOrCreateAsync("ServiceSubcategory", $"SELECT ServiceSubcategory WHERE service_id = {service} AND request_type = 'incident'",
            new JsonObject { ["name"] = "Réseau - panne", ["service_id"] = service, ["request_type"] = "incident", ["status"] = "production" });
        var request = await FindOrCreateAsync("ServiceSubcategory", $"SELECT ServiceSubcategory WHERE service_id = {service} AND request_type = 'service_request'",
            new JsonObject { ["name"] = "Réseau - demande", ["service_id"] = service, ["request_type"] = "service_request", ["status"] = "production" });
        Services = (service, incident, request);
    }

    private async Task<int> FindOrCreateAsync(string className, string oql, JsonObject fields)
    {
        var found = await CallAsync(_settings.User, _settings.Password, new JsonObject
        {
            ["operation"] = "core/get", ["class"] = className, ["key"] = oql, ["output_fields"] = "id",
        });
        Assert.That(found.GetProperty("code").GetInt32(), Is.Zero, found.ToString());
        if (found.GetProperty("objects").ValueKind == JsonValueKind.Object)
        {
            return KeyOf(found);
        }

        return KeyOf(await CallAsync(_settings.User, _settings.Password, new JsonObject
        {
            ["operation"] = "core/create", ["class"] = className, ["comment"] = "TicketHub tests", ["output_fields"] = "id", ["fields"] = fields,
        }));
    }

    private async Task<JsonElement> CallAsync(string user, string password, JsonObject data)
    {
        using var response = await _http.PostAsync(new Uri($"{_settings.Rest}?version=1.3"), Form(user, password, data));
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
