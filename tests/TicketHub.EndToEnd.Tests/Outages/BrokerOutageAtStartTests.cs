using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit;
using TicketHub.Contracts;
using TicketHub.EndToEnd.Tests.Infrastructure;

// A namespace of its own: the end-to-end suite's HubSystem (namespace TicketHub.EndToEnd.Tests)
// does not start for this fixture, which starts one service at a time.
namespace TicketHub.Outages;

/// <summary>
/// Issue 17: a service whose broker goes away while it starts, or just after, must consume every one
/// of its queues once the broker is back. Each case starts one service (intake, the classifier, the
/// Omère connector) behind a <see cref="BrokerProxy"/> in front of the real broker, makes "the
/// broker" go away at an exact point of the service's start, sends messages to the service's queue
/// directly to the broker meanwhile, brings the broker back, then asks the broker (not the service)
/// whether every queue of the service has its consumer, and the service's database whether each
/// message was applied once.
/// </summary>
[TestFixture]
public sealed class BrokerOutageAtStartTests
{
    private const int Messages = 20;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(150);
    private string _folder = "";
    private HubIdentity _identity = null!;

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var service in ServiceUnderTest.All)
        {
            yield return new TestCaseData(service, Interleaving.WhileStarting, CutStyle.ConnectionForced)
                .SetName($"{service.Title}_resumes_consuming_every_queue_when_the_broker_is_down_while_it_starts");
            yield return new TestCaseData(service, Interleaving.JustAfterFirstConnection, CutStyle.ConnectionForced)
                .SetName($"{service.Title}_resumes_consuming_every_queue_when_the_broker_stops_just_after_its_first_connection");
            yield return new TestCaseData(service, Interleaving.DuringFirstConsume, CutStyle.ConnectionForced)
                .SetName($"{service.Title}_resumes_consuming_every_queue_when_the_broker_stops_during_its_first_consume");
            if (service == ServiceUnderTest.All[0])
            {
                // The network's way (no close frame) once: the services share this code path.
                yield return new TestCaseData(service, Interleaving.DuringFirstConsume, CutStyle.Drop)
                    .SetName($"{service.Title}_resumes_consuming_every_queue_when_the_network_drops_during_its_first_consume");

            }

            // Chaos run 16 (docs/reliability.md): endpoints that never said ready nor faulted, on a
            // connection the broker had fallen silent on. Only the AMQP heartbeat notices it.
            yield return new TestCaseData(service, Interleaving.DuringFirstConsume, CutStyle.Stall)
                .SetName($"{service.Title}_resumes_consuming_every_queue_when_the_broker_stops_answering_during_its_first_consume");
            yield return new TestCaseData(service, Interleaving.AtFirstLogin, CutStyle.LoginRefused)
                .SetName($"{service.Title}_resumes_consuming_every_queue_when_the_broker_refuses_its_first_login_while_it_starts");
        }
    }

    [OneTimeSetUp]
    public void StartBroker()
    {
        Broker.EnsureRunning();
        _folder = Path.Combine(Path.GetTempPath(), "tickethub-outages", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(_folder);
        TestContext.Progress.WriteLine($"Broker outage tests: logs and databases in {_folder}");
        _identity = new HubIdentity(_folder);
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Resumes_consuming_after_an_outage_at_start(ServiceUnderTest service, Interleaving interleaving, CutStyle style)
    {
        var name = $"{service.Name}-{interleaving}-{style}".ToLowerInvariant();
        var virtualHost = "tickethub-" + name;
        Broker.EnsureFreshVirtualHost(virtualHost);
        await using var proxy = new BrokerProxy(Broker.Port);
        var database = Path.Combine(_folder, name + ".db");
        var settings = Settings(service, virtualHost, proxy, database);
        using var process = new ServiceProcess(name, service.Project, ServiceProcess.FreePort(), settings, _folder);

        // The outage, at the chosen point of the service's start.
        switch (interleaving)
        {
            case Interleaving.WhileStarting:
                process.Start();
                await process.WaitUntilHealthyAsync("/health/live", TimeSpan.FromSeconds(90));
                break;
            case Interleaving.JustAfterFirstConnection:
                await StartAndGoDownAtAsync(proxy, process, AmqpMethod.ChannelOpen, style);
                break;
            case Interleaving.DuringFirstConsume:
                await StartAndGoDownAtAsync(proxy, process, AmqpMethod.BasicConsumeOk, style);
                break;
            case Interleaving.AtFirstLogin:
                await StartAndGoDownAtAsync(proxy, process, AmqpMethod.ConnectionStartOk, style);
                break;
        }

        var sent = await SendMeanwhileAsync(virtualHost, service);
        await Task.Delay(Outage);
        proxy.Accept();

        var (ready, queues, consumers) = await WaitUntilConsumingAsync(process, virtualHost, async () =>
            (File.Exists(database) ? await ServiceDatabase.ScalarAsync(database, service.AppliedSql) : 0) == Messages);
        var applied = File.Exists(database) ? await ServiceDatabase.ScalarAsync(database, service.AppliedSql) : 0;

        TestContext.Out.WriteLine($"{name}: {proxy.Handshakes} handshakes; consumers {string.Join(", ", consumers.Select(pair => $"{pair.Key}={pair.Value}"))}; applied {applied}");
        Assert.Multiple(() =>
        {
            Assert.That(queues, Is.Not.Empty.And.Contains(service.ProbeQueue), $"the service lists its endpoints on /health/ready\n{process.LogTail()}");
            foreach (var queue in queues)
            {
                Assert.That(consumers.GetValueOrDefault(queue), Is.EqualTo(1), $"the broker counts one consumer on {queue}\n{process.LogTail()}");
            }

            Assert.That(applied, Is.EqualTo(sent), "each message sent during the outage applied once");
            Assert.That(ready, Is.EqualTo(HttpStatusCode.OK), "ready again");
        });
    }

    [Test]
    public async Task Intake_fails_liveness_when_it_cannot_consume_although_the_broker_answers_and_consumes_again_once_restarted()
    {
        const string virtualHost = "tickethub-intake-stuck";
        Broker.EnsureFreshVirtualHost(virtualHost);
        await using var proxy = new BrokerProxy(Broker.Port) { RefuseLogins = true };
        var service = ServiceUnderTest.All[0];
        var settings = Settings(service, virtualHost, proxy, Path.Combine(_folder, "intake-stuck.db"));
        settings["Messaging__Supervision__RestartAfter"] = "00:00:05";
        settings["Messaging__Supervision__LiveFailAfter"] = "00:00:20";
        using var process = new ServiceProcess("intake-stuck", service.Project, ServiceProcess.FreePort(), settings, _folder);
        proxy.Accept();
        process.Start();

        // The port answers, every login is refused: nothing consumes, and the health endpoints say so.
        var live = await WaitForAsync(process, "/health/live", HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(120));
        using var http = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        using var ready = await http.GetAsync("/health/ready");
        var readyBody = await ready.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Multiple(() =>
        {
            Assert.That(live!["checks"]!["bus-consuming"]!["description"]!.GetValue<string>(), Does.Contain("intake-ticket-forwarded"), "liveness names the stuck queues");
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(readyBody!["checks"]!["receive-endpoints"]!["data"]!["intake-ticket-forwarded"]!.GetValue<string>(), Does.StartWith("ne consomme pas depuis"));
        });
        Assert.That(process.LogTail(100_000), Does.Contain("receive endpoints do not consume: ").And.Contain("intake-ticket-forwarded since "), "the Warning log names the queues down and since when");

        // What a process supervisor does on a failed liveness (deploy/run.sh, Kubernetes): a new process.
        proxy.RefuseLogins = false;
        process.Kill();
        process.Start();
        var (readyAgain, queues, consumers) = await WaitUntilConsumingAsync(process, virtualHost, () => Task.FromResult(true));
        Assert.Multiple(() =>
        {
            Assert.That(readyAgain, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(queues, Is.Not.Empty);
            Assert.That(queues.Select(queue => consumers.GetValueOrDefault(queue)), Is.All.EqualTo(1), $"one consumer on each queue\n{process.LogTail()}");
        });
    }

    /// <summary>
    /// Waits (bounded) until the service is ready, every endpoint it lists on <c>/health/ready</c>
    /// has exactly one consumer as the broker counts them, and <paramref name="more"/> holds.
    /// </summary>
    private static async Task<(HttpStatusCode Ready, string[] Queues, IReadOnlyDictionary<string, long> Consumers)> WaitUntilConsumingAsync(
        ServiceProcess process, string virtualHost, Func<Task<bool>> more)
    {
        var deadline = DateTime.UtcNow + RecoveryLimit;
        var (ready, queues, consumers) = (HttpStatusCode.ServiceUnavailable, Array.Empty<string>(), (IReadOnlyDictionary<string, long>)new Dictionary<string, long>());
        while (DateTime.UtcNow < deadline)
        {
            (ready, queues) = await EndpointsAsync(process);
            consumers = Broker.Consumers(virtualHost);
            var snapshot = consumers;
            if (ready == HttpStatusCode.OK && queues.Length > 0 && queues.All(queue => snapshot.GetValueOrDefault(queue) == 1) && await more())
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return (ready, queues, consumers);
    }

    private static async Task<JsonObject?> WaitForAsync(ServiceProcess process, string path, HttpStatusCode status, TimeSpan limit)
    {
        using var http = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(path);
                if (response.StatusCode == status)
                {
                    return await response.Content.ReadFromJsonAsync<JsonObject>();
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Assert.Fail($"{path} never answered {(int)status} within {limit.TotalSeconds} s.\n{process.LogTail()}");
        return null;
    }

    private Dictionary<string, string> Settings(ServiceUnderTest service, string virtualHost, BrokerProxy proxy, string database)
    {
        var settings = Broker.ServiceSettings(virtualHost);
        settings["RabbitMq__Port"] = proxy.Port.ToString(CultureInfo.InvariantCulture);
        settings["Database__ConnectionString"] = $"Data Source={database}";
        settings["Logging__LogLevel__Default"] = "Warning";
        settings["Logging__LogLevel__MassTransit"] = "Debug";
        settings["Messaging__Supervision__CheckInterval"] = "00:00:01";
        settings["Messaging__Supervision__RestartAfter"] = "00:00:10";
        settings[_identity.ServiceSetting.Key] = _identity.ServiceSetting.Value;
        foreach (var (key, value) in service.Settings())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Starts the service with the proxy accepting, armed to go down at <paramref name="method"/>; waits until it did.</summary>
    private static async Task StartAndGoDownAtAsync(BrokerProxy proxy, ServiceProcess process, AmqpMethod method, CutStyle style)
    {
        var down = proxy.GoDownAt(method, style);
        proxy.Accept();
        process.Start();
        if (await Task.WhenAny(down, Task.Delay(TimeSpan.FromSeconds(90))) != down)
        {
            Assert.Fail($"The service never reached {method}.\n{process.LogTail()}");
        }
    }

    /// <summary>Sends the probe messages straight to the broker (not through the proxy), into the service's queue.</summary>
    private static async Task<int> SendMeanwhileAsync(string virtualHost, ServiceUnderTest service)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host("127.0.0.1", (ushort)Broker.Port, virtualHost, host =>
        {
            host.Username("guest");
            host.Password("guest");
        }));
        await bus.StartAsync();
        try
        {
            var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{service.ProbeQueue}"));
            for (var i = 0; i < Messages; i++)
            {
                await endpoint.Send(service.ProbeMessage(i), service.ProbeMessage(i).GetType());
            }
        }
        finally
        {
            await bus.StopAsync();
        }

        return Messages;
    }

    /// <summary>The status of <c>/health/ready</c> and the receive endpoints it lists (queue names), empty while the service does not answer.</summary>
    private static async Task<(HttpStatusCode Status, string[] Queues)> EndpointsAsync(ServiceProcess process)
    {
        using var http = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync("/health/ready");
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable))
            {
                return (response.StatusCode, []);
            }

            var health = await response.Content.ReadFromJsonAsync<JsonObject>();
            return (response.StatusCode, health?["checks"]?["receive-endpoints"]?["data"]?.AsObject().Select(pair => pair.Key).ToArray() ?? []);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (HttpStatusCode.ServiceUnavailable, []);
        }
    }
}

/// <summary>Where, in the service's start, the broker goes away.</summary>
public enum Interleaving
{
    /// <summary>The broker is down when the service starts: it cannot connect at all for a while.</summary>
    WhileStarting,

    /// <summary>The service's first connection completes, then the broker goes before its first channel opens.</summary>
    JustAfterFirstConnection,

    /// <summary>The broker registered the service's first consumer, then goes before the service hears so.</summary>
    DuringFirstConsume,

    /// <summary>
    /// The broker refuses the service's first login, then goes: MassTransit 8.5 takes the refusal
    /// for a fault no retry can cure, fails the bus's start and stops every receive endpoint for good
    /// (ADR 12); the bus supervisor must bring them back.
    /// </summary>
    AtFirstLogin,
}

/// <summary>A kind of service, how to start it, and a message it applies once and how to count it.</summary>
public sealed record ServiceUnderTest(string Name, string Title, string Project, string ProbeQueue, string AppliedSql, Func<int, object> ProbeMessage, Func<IEnumerable<(string Key, string Value)>> Settings)
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<ServiceUnderTest> All { get; } =
    [
        new("intake", "Intake", "services/Intake/TicketHub.Intake", "intake-ticket-forwarded",
            "SELECT COUNT(*) FROM inbox_messages WHERE consumer LIKE '%.TicketForwardedConsumer'",
            i => new TicketForwarded(Guid.NewGuid(), Reference(i), ExternalTools.Glpi, $"{1000 + i}", null, At),
            () => []),
        new("classifier", "Classifier", "services/Classifier/TicketHub.Classifier", "classifier-ticket-submitted",
            "SELECT COUNT(*) FROM inbox_messages WHERE consumer LIKE '%.TicketSubmittedConsumer'",
            i => new TicketSubmitted(Guid.NewGuid(), Reference(i), At, Details(i)),
            () =>
            [
                ("Registry__SeedFile", Path.Combine(RepositoryLayout.Root, "deploy", "colleges.csv")),
                ("Routing__RuleSet", Path.Combine(RepositoryLayout.Root, "deploy", "rulesets", "seine-saint-denis.json")),
            ]),
        new("connectors-omere", "Omere_connector", "services/Connectors/TicketHub.Connectors.Omere", "connectors-omere-ticket-routed",
            "SELECT COUNT(*) FROM external_tickets",
            i => new TicketRouted(Guid.NewGuid(), Reference(i), At, Details(i) with { BuildingImpact = true },
                new RouteDecision(RouteTargets.Omere, ExternalTools.Omere, "UT2", "R1", "93-2026.1", "Le bâtiment est l'affaire du service des bâtiments.", []),
                new CollegeSnapshot("0931234X", "Collège Jean Moulin", "Montreuil", "UT2"), At),
            () => [("Omere__Delivery", "manual")]),
    ];

    public override string ToString() => Name;

    private static string Reference(int i) => $"TH-2026-9{i:00000}";

    private static TicketDetails Details(int i) => new(
        "0931234X", new Requester("Claire Martin", "claire.martin@ac-creteil.fr", null), "ZP", "vpi", "incident", false,
        $"VPI en panne, salle {i}", "Le VPI ne s'allume plus.", "normal", null, null);
}
