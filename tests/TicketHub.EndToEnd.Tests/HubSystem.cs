using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using TicketHub.EndToEnd.Tests.Infrastructure;

using TicketHub.Testing;

namespace TicketHub.EndToEnd.Tests;

/// <summary>
/// Starts the whole hub once for the end-to-end tests: the real RabbitMQ (deploy/rabbitmq.sh), the
/// classifier, intake, the four connectors and the gateway as separate processes on free ports, each
/// with its own SQLite file; WireMock.Net stands in for GLPI, and the sandbox process for iTop and
/// PASS (http delivery). Omère runs in manual delivery, so its tickets go through intake's relay
/// queue. Every connector polls its tool each second to keep the tests short. Identity is on as in
/// production: the gateway signs with a key pair made for the run, imports the sandbox accounts
/// and keys, and every service checks its token; <see cref="Client"/> uses the sandbox admin key.
/// The portal runs behind the gateway as in production, for the browser tests.
/// </summary>
[SetUpFixture]
public sealed class HubSystem
{
    public const string KnownCollege = "0931234X";
    public const int GlpiEntityOfKnownCollege = 7;
    public const int GlpiCategoryOfVpi = 12;

    /// <summary>The connectors' polling interval here (10 s by default).</summary>
    private const string SyncInterval = "00:00:01";

    private static readonly List<ServiceProcess> Services = [];

    /// <summary>
    /// Every service's database: PostgreSQL here (issue 13: the whole hub on a server database, as
    /// replicas would run), while the chaos and broker-outage tests keep SQLite, the embedded default.
    /// </summary>
    private static readonly List<TestDatabase> Databases = [];
    private static string _folder = "";

    internal static FakeGlpi Glpi { get; private set; } = null!;

    /// <summary>Emulated iTop, PASS and Omère, and the technicians' actions on them.</summary>
    internal static Sandbox Tools { get; private set; } = null!;

    internal static ServiceProcess Gateway { get; private set; } = null!;

    internal static ServiceProcess Intake { get; private set; } = null!;

    internal static ServiceProcess Classifier { get; private set; } = null!;

    /// <summary>The portal, reached through <see cref="Gateway"/> at <c>/</c> like any browser does.</summary>
    internal static ServiceProcess Portal { get; private set; } = null!;

    /// <summary>A client of the gateway with the sandbox admin key (<see cref="Identity"/> has the others).</summary>
    public static HttpClient Client { get; private set; } = null!;

    /// <summary>Where the services' broker passwords are (deploy/rabbitmq-users.sh's secrets folder).</summary>
    internal static string BrokerSecrets { get; private set; } = "";

    /// <summary>The run's key pair and the sandbox accounts and API keys.</summary>
    internal static HubIdentity Identity { get; private set; } = null!;

    /// <summary>The real SMTP server intake's notifications go through (issue 15), filing into a Maildir.</summary>
    internal static SmtpMailbox Mail { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Broker.EnsureRunning();
        _folder = Path.Combine(Path.GetTempPath(), "tickethub-e2e", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(_folder);
        TestContext.Progress.WriteLine($"End-to-end logs and databases: {_folder}");
        Glpi = new FakeGlpi();
        Tools = new Sandbox(_folder);
        Identity = new HubIdentity(_folder);
        Mail = SmtpMailbox.Start();
        var gatewayPort = ServiceProcess.FreePort();
        var gatewayAddress = new Uri($"http://127.0.0.1:{gatewayPort}");

        // Each service with its own broker user, as deploy/run.sh does: guest has no access to the vhost.
        var secrets = BrokerSecrets = Path.Combine(_folder, "broker-users");
        Broker.CreateServiceUsers(Broker.VirtualHost, secrets);
        Dictionary<string, string> With(string database, params (string Key, string Value)[] more)
        {
            var env = Broker.ServiceSettings(Broker.VirtualHost, database, secrets);
            env["Outbox__PollInterval"] = "00:00:00.500";
            env[Identity.ServiceSetting.Key] = Identity.ServiceSetting.Value;
            foreach (var (key, value) in Database(database))
            {
                env[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
            }
            foreach (var (key, value) in more)
            {
                env[key] = value;
            }

            return env;
        }

        var classifier = Classifier = new ServiceProcess("classifier", "services/Classifier/TicketHub.Classifier", ServiceProcess.FreePort(),
            With("classifier",
                ("Registry__SeedFile", Path.Combine(RepositoryLayout.Root, "deploy", "colleges.csv")),
                ("Routing__RuleSet", Path.Combine(RepositoryLayout.Root, "deploy", "rulesets", "seine-saint-denis.json"))), _folder);
        Intake = new ServiceProcess("intake", "services/Intake/TicketHub.Intake", ServiceProcess.FreePort(), With("intake",
        [
            .. HubIdentity.HighCreationLimits,
            .. HubIdentity.NotificationSettings(Mail, gatewayAddress),
        ]), _folder);
        var glpi = new ServiceProcess("connectors-glpi", "services/Connectors/TicketHub.Connectors.Glpi", ServiceProcess.FreePort(),
            With("connectors-glpi", [
                ("Glpi__BaseUrl", Glpi.ApiUrl),
                ("Glpi__PublicUrl", Glpi.Server.Url!),
                ("Glpi__AppToken", FakeGlpi.AppToken),
                ("Glpi__UserToken", FakeGlpi.UserToken),
                ("Glpi__Mapping__DefaultEntityId", "0"),
                ($"Glpi__Mapping__Entities__{KnownCollege}", GlpiEntityOfKnownCollege.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Glpi__Mapping__Categories__vpi", GlpiCategoryOfVpi.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Glpi__Sync__Interval", SyncInterval),
                .. Identity.ConnectorSettings(gatewayAddress)]), _folder);
        var itop = new ServiceProcess("connectors-itop", "services/Connectors/TicketHub.Connectors.Itop", ServiceProcess.FreePort(),
            With("connectors-itop", [
                ("Itop__BaseUrl", Tools.ItopRestUrl),
                ("Itop__PublicUrl", Tools.ItopPublicUrl),
                ("Itop__AuthUser", Tools.ItopUser),
                ("Itop__AuthPassword", Tools.ItopPassword),
                ("Itop__Mapping__DefaultOrgId", "1"),
                ("Itop__Mapping__CallerId", "1"),
                ("Itop__Sync__Interval", SyncInterval),
                .. Identity.ConnectorSettings(gatewayAddress)]), _folder);
        var pass = new ServiceProcess("connectors-pass", "services/Connectors/TicketHub.Connectors.Pass", ServiceProcess.FreePort(),
            With("connectors-pass",
                ("Pass__Delivery", "http"),
                ("Pass__Http__BaseUrl", Tools.PassApiUrl),
                ("Pass__Http__ApiToken", Tools.PassToken),
                ("Pass__Sync__Interval", SyncInterval)), _folder);
        var omere = new ServiceProcess("connectors-omere", "services/Connectors/TicketHub.Connectors.Omere", ServiceProcess.FreePort(),
            With("connectors-omere", ("Omere__Delivery", "manual")), _folder);
        Portal = new ServiceProcess("portal", "services/Portal/TicketHub.Portal", ServiceProcess.FreePort(), new Dictionary<string, string>
        {
            [Identity.ServiceSetting.Key] = Identity.ServiceSetting.Value,
            ["Services__Intake"] = Intake.BaseAddress.ToString(),
            ["Services__Classifier"] = classifier.BaseAddress.ToString(),
        }, _folder);
        var gateway = Identity.GatewaySettings(Path.Combine(_folder, "gateway.db"));
        foreach (var (key, value) in Database("gateway"))
        {
            gateway[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }

        gateway["ReverseProxy__Clusters__intake__Destinations__primary__Address"] = Intake.BaseAddress.ToString();
        gateway["ReverseProxy__Clusters__classifier__Destinations__primary__Address"] = classifier.BaseAddress.ToString();
        gateway["ReverseProxy__Clusters__portal__Destinations__primary__Address"] = Portal.BaseAddress.ToString();
        Gateway = new ServiceProcess("gateway", "gateway/TicketHub.Gateway", gatewayPort, gateway, _folder);

        Services.AddRange([Tools.Process, classifier, Intake, glpi, itop, pass, omere, Portal, Gateway]);
        foreach (var service in Services)
        {
            service.Start();
        }

        foreach (var service in Services)
        {
            await service.WaitUntilHealthyAsync(service == Gateway || service == Tools.Process ? "/health/live" : "/health/ready", TimeSpan.FromSeconds(90));
        }

        Client = ClientWithKey(Identity.AdminKey);
    }

    [OneTimeTearDown]
    public void Stop()
    {
        if (!Broker.IsListening())
        {
            Broker.Start();
        }

        Client?.Dispose();
        foreach (var service in Services)
        {
            service.Dispose();
        }

        Gateway?.Dispose();
        Intake?.Dispose();
        Portal?.Dispose();
        Glpi?.Dispose();
        Tools?.Dispose();
        Mail?.Dispose();
        foreach (var database in Databases)
        {
            database.Dispose();
        }
    }

    private static IEnumerable<KeyValuePair<string, string?>> Database(string service)
    {
        var database = TestDatabase.Create(TicketHub.ServiceDefaults.Data.DatabaseProvider.PostgreSql, service);
        Databases.Add(database);
        return database.Settings;
    }

    /// <summary>A new client of the gateway presenting <paramref name="apiKey"/> (none when null); the caller disposes it.</summary>
    public static HttpClient ClientWithKey(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    /// <summary>Every service's last log lines, to explain a failure.</summary>
    public static string Logs() => string.Join("\n", Services.Select(s => s.LogTail(40)));

    public static JsonObject TicketBody(string uai = KnownCollege, string? zone = "ZP", string category = "vpi", string type = "incident") => new()
    {
        ["collegeUai"] = uai,
        ["requester"] = new JsonObject { ["name"] = "Claire Martin", ["email"] = "claire.martin@ac-creteil.fr" },
        ["zone"] = zone,
        ["category"] = category,
        ["type"] = type,
        ["title"] = "Le VPI de la salle 12 ne s'allume plus",
        ["description"] = "Depuis ce matin, le VPI reste éteint. <b>Merci</b> d'intervenir.",
        ["urgency"] = "high",
        ["location"] = "Salle 12",
    };

    /// <summary>
    /// <paramref name="body"/> with a title and description that name no equipment, so that the
    /// classifier cannot suggest a zone from them (issue 16): with no zone given, the ticket waits in
    /// triage. <paramref name="title"/> replaces the generic title.
    /// </summary>
    public static JsonObject NamingNoEquipment(JsonObject body, string title = "Demande à orienter")
    {
        body["title"] = title;
        body["description"] = "Pouvez-vous nous rappeler ? Merci.";
        body.Remove("location");
        return body;
    }

    /// <summary><c>POST /api/v1/tickets</c> through the gateway; the ticket's id and reference once accepted.</summary>
    public static async Task<(string Id, string Reference)> SubmitAsync(JsonObject body)
    {
        using var response = await Client.PostAsync("/api/v1/tickets", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var accepted = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (accepted!["id"]!.GetValue<string>(), accepted["reference"]!.GetValue<string>());
    }

    /// <summary>Polls <c>GET /api/v1/tickets/{id}</c> through the gateway until <paramref name="done"/>.</summary>
    public static async Task<JsonObject> WaitForTicketAsync(string id, Func<JsonObject, bool> done, TimeSpan timeout)
    {
        JsonObject? last = null;
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            last = await Client.GetFromJsonAsync<JsonObject>($"/api/v1/tickets/{id}");
            if (done(last!))
            {
                return last!;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"Ticket {id} never reached the expected state within {timeout.TotalSeconds} s. Last: {last?.ToJsonString()}\n{Logs()}");
        throw new InvalidOperationException();
    }
}

public static class HubRequests
{
    /// <summary>Makes <paramref name="request"/> act with the sandbox key of <paramref name="role"/> instead of the admin key.</summary>
    public static HttpRequestMessage As(this HttpRequestMessage request, string role)
    {
        request.Headers.Remove("X-Api-Key");
        request.Headers.Add("X-Api-Key", HubSystem.Identity.KeyFor(role));
        return request;
    }
}
