using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using TicketHub.ServiceDefaults.Data;
using TicketHub.Testing;

namespace TicketHub.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The whole hub as processes, each worker and the gateway in <c>replicas</c> copies (issue 13): on
/// PostgreSQL (one database per service, shared by its replicas) or SQLite (one file per service: one
/// replica only), with a three-node RabbitMQ cluster (<see cref="BrokerCluster"/>, quorum queues), and
/// the sandbox for GLPI, iTop, PASS and Omère (all four over HTTP). Connectors poll each second, and
/// redeliveries come in seconds rather than minutes. Used by the replica test and the hub benchmark.
/// </summary>
internal sealed class ReplicaHub : IDisposable
{
    public const string VirtualHost = "tickethub-replicas";

    /// <summary>The workers; the gateway is started beside them.</summary>
    public static readonly string[] Workers = ["classifier", "intake", "connectors-glpi", "connectors-itop", "connectors-pass", "connectors-omere"];

    private readonly Dictionary<string, TestDatabase> _databases = [];
    private readonly Dictionary<string, ServiceProcess[]> _replicas = [];

    private ReplicaHub(DatabaseProvider provider, int replicas, string folder)
    {
        Provider = provider;
        ReplicaCount = replicas;
        Folder = folder;
        Cluster = new BrokerCluster();
        Tools = new Sandbox(folder);
    }

    public DatabaseProvider Provider { get; }

    public int ReplicaCount { get; }

    /// <summary>Logs (and SQLite files) of the run.</summary>
    public string Folder { get; }

    public BrokerCluster Cluster { get; }

    /// <summary>The emulated tools, and the technicians' actions on them.</summary>
    public Sandbox Tools { get; }

    /// <summary>A client of the sandbox, for its <c>_sandbox</c> endpoints.</summary>
    public HttpClient ToolsClient { get; private set; } = null!;

    /// <summary>Each service's replicas: the workers of <see cref="Workers"/> and <c>gateway</c>.</summary>
    public IReadOnlyDictionary<string, ServiceProcess[]> Replicas => _replicas;

    /// <summary>One client per gateway replica, with the sandbox administrator's key.</summary>
    public IReadOnlyList<HttpClient> Gateways { get; private set; } = [];

    /// <summary>Starts everything, replica a of each service then replica b, and waits until each is ready.</summary>
    public static async Task<ReplicaHub> StartAsync(string name, DatabaseProvider provider, int replicas)
    {
        if (provider == DatabaseProvider.Sqlite && replicas > 1)
        {
            throw new ArgumentException("A SQLite file belongs to one process: one replica per service on SQLite.", nameof(replicas));
        }

        var folder = Path.Combine(Path.GetTempPath(), name, DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        TestContext.Progress.WriteLine($"{name}: logs in {folder}");
        var hub = new ReplicaHub(provider, replicas, folder);
        try
        {
            await hub.StartAsync();
            return hub;
        }
        catch
        {
            hub.Dispose();
            throw;
        }
    }

    private async Task StartAsync()
    {
        Cluster.StartFresh(VirtualHost);
        Tools.Process.Start();
        var identity = new HubIdentity(Folder);
        var gatewayPorts = Enumerable.Range(0, ReplicaCount).Select(_ => ServiceProcess.FreePort()).ToArray();
        var gatewayAddress = new Uri($"http://127.0.0.1:{gatewayPorts[0]}");
        if (Provider == DatabaseProvider.PostgreSql)
        {
            foreach (var service in Workers.Append("gateway"))
            {
                _databases[service] = TestDatabase.Create(DatabaseProvider.PostgreSql, "replicas-" + service);
            }
        }

        Dictionary<string, string> Worker(string service, params (string Key, string Value)[] more)
        {
            var env = Cluster.ServiceSettings(VirtualHost);
            Database(env, service);
            env["Outbox__PollInterval"] = "00:00:00.500";
            env["Logging__LogLevel__Default"] = "Warning";
            env["Logging__LogLevel__TicketHub.ServiceDefaults.Data.DatabaseLeases"] = "Information";
            env[identity.ServiceSetting.Key] = identity.ServiceSetting.Value;
            // Redeliveries shorter than in production (21 minutes) but, as there, longer than a
            // delivery's claim (2 minutes, DeliveryLedger): a ticket whose deliverer was killed is
            // retried after its claim expired, not dead-lettered before (the first version, with the
            // chaos test's 77 s, dead-lettered one).
            string[] delays = ["00:00:02", "00:00:05", "00:00:10", "00:00:30", "00:01:00", "00:01:30"];
            for (var i = 0; i < delays.Length; i++)
            {
                env[$"Messaging__Retry__Delayed__{i}"] = delays[i];
            }

            foreach (var (key, value) in more)
            {
                env[key] = value;
            }

            return env;
        }

        var settings = new Dictionary<string, Dictionary<string, string>>
        {
            ["classifier"] = Worker("classifier",
                ("Registry__SeedFile", Path.Combine(RepositoryLayout.Root, "deploy", "colleges.csv")),
                ("Routing__RuleSet", Path.Combine(RepositoryLayout.Root, "deploy", "rulesets", "seine-saint-denis.json"))),
            ["intake"] = Worker("intake", HubIdentity.HighCreationLimits),
            ["connectors-glpi"] = Worker("connectors-glpi", [
                ("Glpi__BaseUrl", Tools.GlpiApiUrl),
                ("Glpi__PublicUrl", $"{Tools.Process.BaseAddress}glpi"),
                ("Glpi__AppToken", Tools.GlpiAppToken),
                ("Glpi__UserToken", Tools.GlpiUserToken),
                ("Glpi__Mapping__DefaultEntityId", "0"),
                ("Glpi__Sync__Interval", "00:00:01"),
                .. identity.ConnectorSettings(gatewayAddress)]),
            ["connectors-itop"] = Worker("connectors-itop", [
                ("Itop__BaseUrl", Tools.ItopRestUrl),
                ("Itop__PublicUrl", Tools.ItopPublicUrl),
                ("Itop__AuthUser", Tools.ItopUser),
                ("Itop__AuthPassword", Tools.ItopPassword),
                ("Itop__Mapping__DefaultOrgId", "1"),
                ("Itop__Mapping__CallerId", "1"),
                ("Itop__Sync__Interval", "00:00:01"),
                .. identity.ConnectorSettings(gatewayAddress)]),
            ["connectors-pass"] = Worker("connectors-pass",
                ("Pass__Delivery", "http"), ("Pass__Http__BaseUrl", Tools.PassApiUrl), ("Pass__Http__ApiToken", Tools.PassToken),
                ("Pass__Sync__Interval", "00:00:01")),
            ["connectors-omere"] = Worker("connectors-omere",
                ("Omere__Delivery", "http"), ("Omere__Http__BaseUrl", Tools.OmereApiUrl), ("Omere__Http__ApiToken", Tools.OmereToken),
                ("Omere__Sync__Interval", "00:00:01")),
        };
        var names = Enumerable.Range(0, ReplicaCount).Select(i => ((char)('a' + i)).ToString()).ToArray();
        foreach (var service in Workers)
        {
            _replicas[service] = [.. names.Select(replica => new ServiceProcess(
                $"{service}-{replica}", ProjectOf(service), ServiceProcess.FreePort(), settings[service], Folder))];
        }

        var gateway = identity.GatewaySettings(Path.Combine(Folder, "gateway.db"));
        Database(gateway, "gateway");
        gateway["Logging__LogLevel__Default"] = "Warning";
        for (var i = 0; i < ReplicaCount; i++)
        {
            // Each gateway balances over every intake and classifier (YARP's default: power of two
            // choices). The first replica replaces the "primary" destination of the gateway's
            // appsettings (the quick start's ports), which would otherwise stay in the balance.
            var destination = i == 0 ? "primary" : $"r{i}";
            gateway[$"ReverseProxy__Clusters__intake__Destinations__{destination}__Address"] = _replicas["intake"][i].BaseAddress.ToString();
            gateway[$"ReverseProxy__Clusters__classifier__Destinations__{destination}__Address"] = _replicas["classifier"][i].BaseAddress.ToString();
        }

        _replicas["gateway"] = [.. gatewayPorts.Select((port, i) => new ServiceProcess($"gateway-{names[i]}", "gateway/TicketHub.Gateway", port, gateway, Folder))];

        // Replica a of everything, then replica b: two replicas starting together migrate once (tested
        // elsewhere); here the second finds a running first, as a rolling deployment does.
        await Tools.Process.WaitUntilHealthyAsync("/health/live", TimeSpan.FromSeconds(90));
        for (var index = 0; index < ReplicaCount; index++)
        {
            foreach (var replicas in _replicas.Values)
            {
                replicas[index].Start();
            }

            foreach (var (service, replicas) in _replicas)
            {
                await replicas[index].WaitUntilHealthyAsync(service == "gateway" ? "/health/live" : "/health/ready", TimeSpan.FromSeconds(180));
            }
        }

        Gateways = [.. _replicas["gateway"].Select(g =>
        {
            var client = new HttpClient { BaseAddress = g.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Add("X-Api-Key", identity.AdminKey);
            return client;
        })];
        ToolsClient = new HttpClient { BaseAddress = Tools.Process.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>A connection to <paramref name="service"/>'s database (read-only on SQLite, while the service writes).</summary>
    public async Task<DbConnection> OpenAsync(string service)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            return await ServiceDatabase.OpenAsync(Path.Combine(Folder, service + ".db"));
        }

        var connection = new NpgsqlConnection(_databases[service].ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<object?> ScalarAsync(string service, string sql)
    {
        await using var connection = await OpenAsync(service);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Resident memory of every hub process (the workers and the gateways; not the sandbox, the broker or the database).</summary>
    public long ResidentBytes() => _replicas.Values.SelectMany(r => r).Sum(process => process.ResidentBytes());

    public void Dispose()
    {
        foreach (var client in Gateways)
        {
            client.Dispose();
        }

        ToolsClient?.Dispose();
        foreach (var replica in _replicas.Values.SelectMany(r => r))
        {
            replica.Dispose();
        }

        Tools.Dispose();
        Cluster.Dispose();
        foreach (var database in _databases.Values)
        {
            database.Dispose();
        }

        SqliteConnection.ClearAllPools();
    }

    private void Database(Dictionary<string, string> env, string service)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            env["Database__ConnectionString"] = $"Data Source={Path.Combine(Folder, service + ".db")}";
            return;
        }

        foreach (var (key, value) in _databases[service].Settings)
        {
            env[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }
    }

    private static string ProjectOf(string service) => service switch
    {
        "classifier" => "services/Classifier/TicketHub.Classifier",
        "intake" => "services/Intake/TicketHub.Intake",
        "connectors-glpi" => "services/Connectors/TicketHub.Connectors.Glpi",
        "connectors-itop" => "services/Connectors/TicketHub.Connectors.Itop",
        "connectors-pass" => "services/Connectors/TicketHub.Connectors.Pass",
        "connectors-omere" => "services/Connectors/TicketHub.Connectors.Omere",
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, null),
    };
}
