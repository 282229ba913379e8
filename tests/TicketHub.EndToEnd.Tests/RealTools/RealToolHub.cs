using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using TicketHub.EndToEnd.Tests.Infrastructure;
using TicketHub.Testing;

namespace TicketHub.RealTools;

/// <summary>
/// The tool a <see cref="RealToolHub"/> forwards its tickets to: the real GLPI or iTop of
/// deploy/peers.sh (the infogérant's), or PASS (the Rectorat's) or Omère (the building service's),
/// which have no instance here and are played by the sandbox, which implements their contract.
/// </summary>
public enum ToolKind
{
    Glpi,
    Itop,
    Pass,
    Omere,
}

/// <summary>
/// The hub as it runs in production, pointed at a real tool: RabbitMQ (its own virtual host), the
/// classifier (whose rule set sends the infogérant's tickets to <see cref="Tool"/>), intake, the
/// gateway and the GLPI or iTop connector, each a process with its own SQLite file. The connector
/// talks to the tool through a <see cref="ToolProxy"/>, so that a test can hold the tool's answer and
/// kill the connector in the window where the tool has acted and the connector has not recorded it.
/// The connector's sync polls every second. Everything else is real: the tool is deploy/peers.sh's.
/// </summary>
public sealed class RealToolHub : IAsyncDisposable
{
    private readonly List<ServiceProcess> _services = [];
    private readonly string _folder;
    private readonly HubIdentity _identity;

    private readonly string _syncInterval;
    private string _virtualHost = "";

    private RealToolHub(ToolKind tool, string folder, TimeSpan syncInterval)
    {
        Tool = tool;
        _syncInterval = syncInterval.ToString("c", CultureInfo.InvariantCulture);
        _folder = folder;
        _identity = new HubIdentity(folder);
        Sandbox = tool is ToolKind.Pass or ToolKind.Omere ? new Sandbox(folder) : null;
        Proxy = new ToolProxy(tool switch
        {
            ToolKind.Glpi => new Uri(PeerTools.Glpi.PublicUrl),
            ToolKind.Itop => new Uri(PeerTools.Itop.Url),
            _ => Sandbox!.Process.BaseAddress,
        });
    }

    /// <summary>The sandbox playing PASS or Omère; null for GLPI and iTop, which are real.</summary>
    internal Sandbox? Sandbox { get; }

    /// <summary>The tool's name in the hub's messages and routes: <c>glpi</c>, <c>itop</c>, <c>pass</c>, <c>omere</c>.</summary>
    public string ToolName => Tool.ToString().ToLowerInvariant();

    public ToolKind Tool { get; }

    /// <summary>The hub's RabbitMQ virtual host (deleted when the hub stops).</summary>
    public string VirtualHost => _virtualHost;

    /// <summary>The connector's queue of routed tickets.</summary>
    public string RoutedQueue => $"connectors-{ToolName}-ticket-routed";

    /// <summary>How many tickets the connector's sync reads per page or query in the scenarios' hubs: few, so that a run's tickets need several.</summary>
    public const int SmallSyncPage = 3;

    /// <summary>Tickets per page or query of the connector's sync; null for the connector's default.</summary>
    public int? SyncPage { get; private init; }

    /// <summary>Between the connector and the tool.</summary>
    public ToolProxy Proxy { get; }

    /// <summary>The GLPI or iTop connector process.</summary>
    internal ServiceProcess Connector { get; private set; } = null!;

    internal ServiceProcess Gateway { get; private set; } = null!;

    /// <summary>A client of the gateway with the sandbox administrator's key.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The sandbox API key of <paramref name="role"/> (college, infogerant, dispatcher…).</summary>
    public string KeyFor(string role) => _identity.KeyFor(role);

    /// <summary>Starts the hub for <paramref name="tool"/> and waits until every service is ready.</summary>
    /// <param name="syncInterval">How often the connector polls the tool (1 s unless said: tests stay short).</param>
    /// <param name="syncPage">Tickets per page or query of the connector's sync; null for the connector's default.</param>
    public static async Task<RealToolHub> StartAsync(ToolKind tool, TimeSpan? syncInterval = null, int? syncPage = null)
    {
        var name = tool.ToString().ToLowerInvariant();
        // A virtual host of its own per hub and test run (deleted when the hub stops): two runs on one
        // machine, or the measurements' hub, never share queues.
        var virtualHost = $"tickethub-real-{name}-{Environment.ProcessId}-{(int)(syncInterval ?? TimeSpan.FromSeconds(1)).TotalSeconds}s";
        Broker.EnsureFreshVirtualHost(virtualHost);
        var folder = Path.Combine(Path.GetTempPath(), "tickethub-real-tools",
            $"{name}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}"[..(name.Length + 23)]);
        Directory.CreateDirectory(folder);
        TestContext.Progress.WriteLine($"Hub against the real {tool}: logs and databases in {folder}");
        var hub = new RealToolHub(tool, folder, syncInterval ?? TimeSpan.FromSeconds(1)) { _virtualHost = virtualHost, SyncPage = syncPage };
        if (hub.Sandbox is { } sandbox)
        {
            sandbox.Process.Start();
            await sandbox.Process.WaitUntilHealthyAsync("/health/live", TimeSpan.FromSeconds(90));
        }

        await hub.Proxy.StartAsync();
        await hub.StartServicesAsync(virtualHost);
        return hub;
    }

    /// <summary>The real SMTP server intake's notifications go through and replies come back to (issue 15).</summary>
    public SmtpMailbox Mail { get; } = SmtpMailbox.Start();

    private async Task StartServicesAsync(string virtualHost)
    {
        var gatewayPort = ServiceProcess.FreePort();
        var gatewayAddress = new Uri($"http://127.0.0.1:{gatewayPort}");
        // Each service with its own broker user, as deploy/run.sh does: guest has no access to the vhost.
        var secrets = Path.Combine(_folder, "broker-users");
        Broker.CreateServiceUsers(virtualHost, secrets);
        Dictionary<string, string> Settings(string database, IEnumerable<(string Key, string Value)> more)
        {
            // The end-to-end tests' own broker node (Broker), never the shared one.
            var env = new Dictionary<string, string>(Broker.ServiceSettings(virtualHost, database, secrets))
            {
                ["Outbox__PollInterval"] = "00:00:00.500",
                ["Database__ConnectionString"] = $"Data Source={Path.Combine(_folder, database + ".db")}",
                [_identity.ServiceSetting.Key] = _identity.ServiceSetting.Value,
                // Redeliveries in seconds, so that a retried ticket is settled within a test.
                ["Messaging__Retry__Delayed__0"] = "00:00:02",
                ["Messaging__Retry__Delayed__1"] = "00:00:05",
                ["Messaging__Retry__Delayed__2"] = "00:00:10",
            };
            foreach (var (key, value) in more)
            {
                env[key] = value;
            }

            return env;
        }

        var classifier = new ServiceProcess("classifier", "services/Classifier/TicketHub.Classifier", ServiceProcess.FreePort(), Settings("classifier", [
            ("Registry__SeedFile", Path.Combine(RepositoryLayout.Root, "deploy", "colleges.csv")),
            ("Routing__RuleSet", Path.Combine(RepositoryLayout.Root, "deploy", "rulesets", "seine-saint-denis.json")),
            ("Routing__InfogerantTool", Tool == ToolKind.Itop ? "itop" : "glpi")]), _folder);
        var intake = new ServiceProcess("intake", "services/Intake/TicketHub.Intake", ServiceProcess.FreePort(), Settings("intake",
        [
            .. HubIdentity.HighCreationLimits,
            .. HubIdentity.NotificationSettings(Mail, gatewayAddress),
        ]), _folder);
        Connector = new ServiceProcess($"connectors-{ToolName}", $"services/Connectors/TicketHub.Connectors.{Tool}", ServiceProcess.FreePort(),
            Settings($"connectors-{ToolName}", [.. ToolSettings(), .. _identity.ConnectorSettings(gatewayAddress)]), _folder);
        var gateway = _identity.GatewaySettings(Path.Combine(_folder, "gateway.db"));
        gateway["ReverseProxy__Clusters__intake__Destinations__primary__Address"] = intake.BaseAddress.ToString();
        gateway["ReverseProxy__Clusters__classifier__Destinations__primary__Address"] = classifier.BaseAddress.ToString();
        Gateway = new ServiceProcess("gateway", "gateway/TicketHub.Gateway", gatewayPort, gateway, _folder);

        _services.AddRange([classifier, intake, Connector, Gateway]);
        foreach (var service in _services)
        {
            service.Start();
        }

        foreach (var service in _services)
        {
            await service.WaitUntilHealthyAsync(service == Gateway ? "/health/live" : "/health/ready", TimeSpan.FromSeconds(90));
        }

        Client = ClientWithKey(_identity.AdminKey);
        await NumberReferencesFromAfarAsync();
    }

    /// <summary>
    /// The real tool outlives the hub: a new intake database numbers references from 1 again, and a
    /// run would find an earlier run's tickets under its own references (a connector's lookup after a
    /// crash, a test counting tickets). Each hub starts its year's numbering at a random point instead.
    /// </summary>
    private async Task NumberReferencesFromAfarAsync()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_folder, "intake.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA busy_timeout = 10000;
            INSERT INTO reference_counters (year, last_value) VALUES ($year, $start)
            ON CONFLICT (year) DO UPDATE SET last_value = MAX(last_value, $start);
            """;
        command.Parameters.AddWithValue("$year", TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).Year);
        command.Parameters.AddWithValue("$start", Random.Shared.Next(100_000, 900_000) * 1_000L);
        await command.ExecuteNonQueryAsync();
    }

    private IEnumerable<(string, string)> ToolSettings() => Tool switch
    {
        ToolKind.Glpi => GlpiSettings(),
        ToolKind.Itop => ItopSettings(),
        _ => ContractToolSettings(),
    };

    /// <summary>The PASS or Omère connector in http mode, against the sandbox that plays the tool's contract, through the proxy.</summary>
    private IEnumerable<(string, string)> ContractToolSettings()
    {
        var section = Tool.ToString();
        yield return ($"{section}__Delivery", "http");
        yield return ($"{section}__Http__BaseUrl", new Uri(Proxy.Address, $"/{ToolName}/api").ToString());
        yield return ($"{section}__Http__ApiToken", Tool == ToolKind.Pass ? Sandbox!.PassToken : Sandbox!.OmereToken);
        yield return ($"{section}__Sync__Interval", _syncInterval);
        if (SyncPage is { } page)
        {
            yield return ($"{section}__Sync__PageSize", page.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The GLPI connector against deploy/peers.sh's GLPI, through the proxy: the collèges' entities, two categories.</summary>
    private IEnumerable<(string, string)> GlpiSettings()
    {
        var glpi = PeerTools.Glpi;
        yield return ("Glpi__BaseUrl", new Uri(Proxy.Address, "/apirest.php").ToString());
        yield return ("Glpi__PublicUrl", glpi.PublicUrl);
        yield return ("Glpi__AppToken", glpi.AppToken);
        yield return ("Glpi__UserToken", glpi.UserToken);
        yield return ("Glpi__Mapping__DefaultEntityId", "0");
        foreach (var entity in glpi.Entities)
        {
            yield return ($"Glpi__Mapping__Entities__{entity.Uai}", entity.EntitiesId.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (category, glpiCategory) in new[] { ("vpi", "Matériel"), ("poste-pedagogique", "Matériel"), ("imprimante", "Matériel"), ("reseau", "Réseau"), ("wifi", "Réseau") })
        {
            yield return ($"Glpi__Mapping__Categories__{category}", glpi.Categories[glpiCategory].ToString(CultureInfo.InvariantCulture));
        }

        yield return ("Glpi__Sync__Interval", _syncInterval);
        if (SyncPage is { } page)
        {
            yield return ("Glpi__Sync__PageSize", page.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The iTop connector against deploy/peers.sh's iTop, through the proxy: the collèges' organizations and callers, the classroom equipment's service.</summary>
    private IEnumerable<(string, string)> ItopSettings()
    {
        var itop = PeerTools.Itop;
        yield return ("Itop__BaseUrl", new Uri(Proxy.Address, "/webservices/rest.php").ToString());
        yield return ("Itop__PublicUrl", itop.Url);
        yield return ("Itop__AuthUser", itop.User);
        yield return ("Itop__AuthPassword", itop.Password);
        yield return ("Itop__Mapping__DefaultOrgId", itop.Orgs[0].OrgId.ToString(CultureInfo.InvariantCulture));
        yield return ("Itop__Mapping__CallerId", itop.Orgs[0].CallerId.ToString(CultureInfo.InvariantCulture));
        foreach (var org in itop.Orgs)
        {
            yield return ($"Itop__Mapping__Orgs__{org.Code}", org.OrgId.ToString(CultureInfo.InvariantCulture));
            yield return ($"Itop__Mapping__Callers__{org.Code}", org.CallerId.ToString(CultureInfo.InvariantCulture));
        }

        // The classroom's equipment: one service, a subcategory for its incidents and one for its requests.
        foreach (var category in new[] { "vpi", "poste-pedagogique" })
        {
            yield return ($"Itop__Mapping__Services__{category}", itop.Service.ServiceId.ToString(CultureInfo.InvariantCulture));
            yield return ($"Itop__Mapping__IncidentSubcategories__{category}", itop.Service.IncidentSubcategoryId.ToString(CultureInfo.InvariantCulture));
            yield return ($"Itop__Mapping__RequestSubcategories__{category}", itop.Service.RequestSubcategoryId.ToString(CultureInfo.InvariantCulture));
        }

        yield return ("Itop__Sync__Interval", _syncInterval);
        if (SyncPage is { } page)
        {
            yield return ("Itop__Sync__BatchSize", page.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Kills the connector (SIGKILL: nothing recorded after this instant) and starts it again on its database.</summary>
    public async Task RestartConnectorAsync()
    {
        Connector.Kill();
        Connector.Start();
        await Connector.WaitUntilHealthyAsync("/health/ready", TimeSpan.FromSeconds(90));
    }

    /// <summary>Kills the connector (SIGKILL) without starting it again.</summary>
    public void KillConnector() => Connector.Kill();

    /// <summary>Starts the killed connector again on its database.</summary>
    public async Task StartConnectorAsync()
    {
        Connector.Start();
        await Connector.WaitUntilHealthyAsync("/health/ready", TimeSpan.FromSeconds(90));
    }

    /// <summary>A new client of the gateway presenting <paramref name="apiKey"/>; the caller disposes it.</summary>
    public HttpClient ClientWithKey(string apiKey)
    {
        var client = new HttpClient { BaseAddress = Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>A ticket of Collège Jean Moulin's classroom zone, which the rule set sends to the infogérant.</summary>
    public static JsonObject TicketBody(string title, string uai = "0931234X", string category = "vpi", string type = "incident", string? description = null) => new()
    {
        ["collegeUai"] = uai,
        ["requester"] = new JsonObject { ["name"] = "Claire Dubois", ["email"] = "claire.dubois@0931234x.example.fr", ["phone"] = "01 48 00 00 00" },
        ["zone"] = "ZP",
        ["category"] = category,
        ["type"] = type,
        ["title"] = title,
        ["description"] = description ?? "Depuis ce matin, le VPI reste éteint.\n\nL'élève a « tout essayé » : câble & télécommande.",
        ["urgency"] = "high",
        ["location"] = "Salle 12",
        ["equipment"] = "VPI Epson EB-695Wi",
    };

    /// <summary><c>POST /api/v1/tickets</c> through the gateway; the ticket's id and reference once accepted.</summary>
    public async Task<(string Id, string Reference)> SubmitAsync(JsonObject body)
    {
        using var response = await Client.PostAsync("/api/v1/tickets", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var accepted = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (accepted!["id"]!.GetValue<string>(), accepted["reference"]!.GetValue<string>());
    }

    /// <summary><c>POST /api/v1/tickets</c> as a form with one file, as the portal sends it.</summary>
    public async Task<(string Id, string Reference)> SubmitWithFileAsync(JsonObject body, string fileName, byte[] content, string contentType)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), "ticket" },
        };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        form.Add(file, "attachments", fileName);
        using var response = await Client.PostAsync("/api/v1/tickets", form);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var accepted = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (accepted!["id"]!.GetValue<string>(), accepted["reference"]!.GetValue<string>());
    }

    /// <summary>Posts <paramref name="body"/> to <paramref name="path"/> with the sandbox key of <paramref name="role"/>; fails unless 2xx.</summary>
    public Task<JsonObject?> PostAsAsync(string role, string path, object body) => SendAsAsync(role, HttpMethod.Post, path, body);

    /// <summary>Sends <paramref name="body"/> as JSON to <paramref name="path"/> with the sandbox key of <paramref name="role"/>; fails unless 2xx.</summary>
    public async Task<JsonObject?> SendAsAsync(string role, HttpMethod method, string path, object body)
    {
        using var client = ClientWithKey(KeyFor(role));
        using var response = await client.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode, Is.True, $"{path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
    }

    /// <summary>Polls <c>GET /api/v1/tickets/{id}</c> through the gateway until <paramref name="done"/>.</summary>
    public async Task<JsonObject> WaitForTicketAsync(string id, Func<JsonObject, bool> done, TimeSpan? timeout = null)
    {
        JsonObject? last = null;
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (DateTime.UtcNow < deadline)
        {
            last = await Client.GetFromJsonAsync<JsonObject>($"/api/v1/tickets/{id}");
            if (done(last!))
            {
                return last!;
            }

            if (last!["status"]?.GetValue<string>() == "failed")
            {
                Assert.Fail($"Ticket {id} failed: {last["failureReason"]}\n{Logs()}");
            }

            await Task.Delay(300);
        }

        Assert.Fail($"Ticket {id} never reached the expected state. Last: {last?.ToJsonString()}\n{Logs()}");
        throw new InvalidOperationException();
    }

    /// <summary>Waits until the ticket is forwarded to the tool; its external id there.</summary>
    public async Task<string> WaitForwardedAsync(string id)
    {
        var ticket = await WaitForTicketAsync(id, t => t["external"]?["id"] is not null);
        return ticket["external"]!["id"]!.GetValue<string>();
    }

    /// <summary>The connector's log lines so far (every run of the process) that contain <paramref name="text"/>.</summary>
    public IReadOnlyList<string> ConnectorLogLines(string text) =>
        [.. Connector.LogTail(int.MaxValue).Split('\n').Where(line => line.Contains(text, StringComparison.Ordinal))];

    /// <summary>Every service's last log lines, to explain a failure.</summary>
    public string Logs() => string.Join("\n", _services.Select(service => service.LogTail(40)));

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        foreach (var service in _services)
        {
            service.Dispose();
        }

        await Proxy.DisposeAsync();
        Sandbox?.Dispose();
        Mail.Dispose();
        Broker.DeleteVirtualHost(_virtualHost);
    }
}
