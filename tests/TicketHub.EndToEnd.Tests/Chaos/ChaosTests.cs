using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using TicketHub.EndToEnd.Tests.Infrastructure;

// A namespace of its own: the end-to-end suite's HubSystem (namespace TicketHub.EndToEnd.Tests)
// does not start for this fixture, which runs its own hub.
namespace TicketHub.Chaos;

/// <summary>
/// Nothing lost, nothing twice, under faults: 2,000 tickets through the gateway over about a
/// minute while RabbitMQ restarts twice, every worker is killed with SIGKILL once and restarted,
/// the emulated GLPI fails or times out on 20 % of its calls and goes fully down for 30 s.
/// Afterwards every accepted ticket must be forwarded, GLPI must hold exactly one ticket per hub
/// reference, and no message may sit in an error queue or a dead-letter table.
/// <c>tests/soak.sh</c> runs the same test longer (TICKETHUB_CHAOS_* variables below): 10,000
/// tickets over 10 minutes with a 5-minute outage.
/// </summary>
[TestFixture]
[Category("Chaos")]
public sealed class ChaosTests
{
    private const string VirtualHost = "tickethub-chaos";
    private static readonly int Tickets = Setting("TICKETHUB_CHAOS_TICKETS", 2_000);
    private static readonly TimeSpan SubmissionWindow = TimeSpan.FromSeconds(Setting("TICKETHUB_CHAOS_WINDOW_SECONDS", 60));
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(Setting("TICKETHUB_CHAOS_OUTAGE_SECONDS", 30));
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(Setting("TICKETHUB_CHAOS_SETTLE_SECONDS", 360));
    private static readonly TimeSpan Delayed = TimeSpan.FromSeconds(60);

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    private readonly List<ServiceProcess> _services = [];
    private string _folder = "";
    private ServiceProcess _sandbox = null!;
    private ServiceProcess _classifier = null!;
    private ServiceProcess _intake = null!;
    private ServiceProcess _glpi = null!;

    // Held while a worker is killed and started again, by the schedule or by the liveness watchdog.
    private readonly SemaphoreSlim _restarting = new(1, 1);
    private ServiceProcess _gateway = null!;
    private HttpClient _client = null!;
    private HttpClient _sandboxClient = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Broker.EnsureFreshVirtualHost(VirtualHost);
        _folder = Path.Combine(Path.GetTempPath(), "tickethub-chaos", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(_folder);
        TestContext.Progress.WriteLine($"Chaos run: logs and databases in {_folder}");
        var identity = new HubIdentity(_folder);
        var gatewayPort = ServiceProcess.FreePort();

        var appToken = Guid.NewGuid().ToString("N");
        var userToken = Guid.NewGuid().ToString("N");
        _sandbox = new ServiceProcess("sandbox", "deploy/sandbox/TicketHub.Sandbox", ServiceProcess.FreePort(), new Dictionary<string, string>
        {
            ["Sandbox__Glpi__AppToken"] = appToken,
            ["Sandbox__Glpi__UserToken"] = userToken,
            ["Sandbox__Glpi__Faults__TimeoutDelay"] = "00:00:04",
            ["Sandbox__Glpi__Faults__Seed"] = "20261123",
            ["Sandbox__Itop__AuthPassword"] = Guid.NewGuid().ToString("N"),
            ["Sandbox__Pass__ApiToken"] = Guid.NewGuid().ToString("N"),
            ["Sandbox__Omere__ApiToken"] = Guid.NewGuid().ToString("N"),
        }, _folder);

        Dictionary<string, string> Worker(string database, params (string Key, string Value)[] more)
        {
            var env = Broker.ServiceSettings(VirtualHost);
            env["Database__ConnectionString"] = $"Data Source={Path.Combine(_folder, database + ".db")}";
            env["Outbox__PollInterval"] = "00:00:00.500";
            env["Logging__LogLevel__Default"] = "Warning";
            env[identity.ServiceSetting.Key] = identity.ServiceSetting.Value;

            // Redeliveries in seconds rather than minutes, so that the run stays short: 2 + 5 + 10
            // + 20 + 40 s cover the 30 s outage with room to spare (the soak sets longer ones).
            var delays = (Environment.GetEnvironmentVariable("TICKETHUB_CHAOS_REDELIVERY") ?? "00:00:02,00:00:05,00:00:10,00:00:20,00:00:40").Split(',');
            for (var i = 0; i < delays.Length; i++)
            {
                env[$"Messaging__Retry__Delayed__{i}"] = delays[i].Trim();
            }

            foreach (var (key, value) in more)
            {
                env[key] = value;
            }

            return env;
        }

        _classifier = new ServiceProcess("classifier", "services/Classifier/TicketHub.Classifier", ServiceProcess.FreePort(), Worker("classifier",
            ("Registry__SeedFile", Path.Combine(RepositoryLayout.Root, "deploy", "colleges.csv")),
            ("Routing__RuleSet", Path.Combine(RepositoryLayout.Root, "deploy", "rulesets", "seine-saint-denis.json"))), _folder);
        // 2,000 tickets in a minute with one key: intake's creation limits are raised for the run.
        _intake = new ServiceProcess("intake", "services/Intake/TicketHub.Intake", ServiceProcess.FreePort(), Worker("intake", HubIdentity.HighCreationLimits), _folder);
        _glpi = new ServiceProcess("connectors-glpi", "services/Connectors/TicketHub.Connectors.Glpi", ServiceProcess.FreePort(), Worker("connectors-glpi", [
            ("Glpi__BaseUrl", $"{_sandbox.BaseAddress}glpi/apirest.php"),
            ("Glpi__PublicUrl", $"{_sandbox.BaseAddress}glpi"),
            ("Glpi__AppToken", appToken),
            ("Glpi__UserToken", userToken),
            ("Glpi__Timeout", "00:00:02"),
            ("Glpi__Mapping__DefaultEntityId", "0"),
            .. identity.ConnectorSettings(new Uri($"http://127.0.0.1:{gatewayPort}"))]), _folder);
        var gateway = identity.GatewaySettings(Path.Combine(_folder, "gateway.db"));
        gateway["ReverseProxy__Clusters__intake__Destinations__primary__Address"] = _intake.BaseAddress.ToString();
        gateway["ReverseProxy__Clusters__classifier__Destinations__primary__Address"] = _classifier.BaseAddress.ToString();
        gateway["Logging__LogLevel__Default"] = "Warning";
        _gateway = new ServiceProcess("gateway", "gateway/TicketHub.Gateway", gatewayPort, gateway, _folder);

        _services.AddRange([_sandbox, _classifier, _intake, _glpi, _gateway]);
        foreach (var service in _services)
        {
            service.Start();
        }

        await _sandbox.WaitUntilHealthyAsync("/health/live", TimeSpan.FromSeconds(90));
        foreach (var service in new[] { _classifier, _intake, _glpi })
        {
            await service.WaitUntilHealthyAsync("/health/ready", TimeSpan.FromSeconds(90));
        }

        await _gateway.WaitUntilHealthyAsync("/health/live", TimeSpan.FromSeconds(90));
        _client = new HttpClient { BaseAddress = _gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        _client.DefaultRequestHeaders.Add("X-Api-Key", identity.AdminKey);
        _sandboxClient = new HttpClient { BaseAddress = _sandbox.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    [OneTimeTearDown]
    public void Stop()
    {
        if (!Broker.IsListening())
        {
            Broker.Start();
        }

        _client?.Dispose();
        _sandboxClient?.Dispose();
        _gateway?.Dispose();
        _glpi?.Dispose();
        _intake?.Dispose();
        _classifier?.Dispose();
        _sandbox?.Dispose();
    }

    [Test]
    public async Task Two_thousand_tickets_through_restarts_kills_and_an_outage_arrive_once_each()
    {
        var report = TestContext.Out;
        report.WriteLine($"{Tickets} tickets over {SubmissionWindow.TotalSeconds:F0} s; GLPI down {Outage.TotalSeconds:F0} s; 20 % of GLPI calls fail or time out.");
        await SetFaultsAsync(failureRate: 0.10, timeoutRate: 0.10, down: false);
        var accepted = new ConcurrentDictionary<Guid, (string Reference, DateTimeOffset At)>();
        var clientRetries = 0;
        var clock = Stopwatch.StartNew();
        // The workers are supervised as deployed: one whose /health/live fails is restarted (ADR 12).
        await using var watchdog = new LivenessWatchdog([_classifier, _intake, _glpi], _restarting,
            line => report.WriteLine($"{clock.Elapsed.TotalSeconds,5:F1} s  {line}"));

        var submission = SubmitAsync(accepted, () => Interlocked.Increment(ref clientRetries));
        var chaos = ChaosAsync(clock, report);
        await Task.WhenAll(submission, chaos);
        var submitted = clock.Elapsed;
        report.WriteLine($"Submitted {accepted.Count} tickets in {submitted.TotalSeconds:F0} s ({clientRetries} client retries after a 5xx or a dropped connection).");

        // Wait, bounded, for every accepted ticket to be forwarded, GLPI still failing 20 % of the
        // calls; note when each one was.
        var forwardedAt = new Dictionary<Guid, DateTimeOffset>();
        var deadline = DateTime.UtcNow + SettleTimeout;
        while (forwardedAt.Count < accepted.Count && DateTime.UtcNow < deadline)
        {
            foreach (var id in await ForwardedTicketsAsync())
            {
                forwardedAt.TryAdd(id, DateTimeOffset.UtcNow);
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        var settled = clock.Elapsed;
        var faults = await _sandboxClient.GetFromJsonAsync<JsonObject>("/glpi/_sandbox/faults");
        await SetFaultsAsync(failureRate: 0, timeoutRate: 0, down: false);
        var lost = accepted.Keys.Where(id => !forwardedAt.ContainsKey(id)).ToList();
        var stored = await TicketCountAsync();
        var glpi = await GlpiTicketsPerReferenceAsync();
        var duplicatedInGlpi = glpi.Where(pair => pair.Value > 1).ToList();
        var missingInGlpi = accepted.Values.Count(ticket => !glpi.ContainsKey(ticket.Reference));
        var latencies = accepted.Where(pair => forwardedAt.ContainsKey(pair.Key))
            .Select(pair => forwardedAt[pair.Key] - pair.Value.At).Order().ToList();
        var delayed = latencies.Count(latency => latency > Delayed);
        var errorQueues = Broker.ErrorQueueMessages(VirtualHost);
        var deadLetters = 0L;
        foreach (var database in new[] { "intake", "classifier", "connectors-glpi" })
        {
            deadLetters += await ScalarAsync(database, "SELECT COUNT(*) FROM dead_letters");
        }

        report.WriteLine($"Settled {settled.TotalSeconds - submitted.TotalSeconds:F0} s after the last submission.");
        report.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Chaos: accepted {accepted.Count}, stored by intake {stored}, forwarded {forwardedAt.Count(pair => accepted.ContainsKey(pair.Key))}, "
            + $"lost {lost.Count}, duplicated {duplicatedInGlpi.Count + Math.Max(0, stored - accepted.Count)}, delayed (> {Delayed.TotalSeconds:F0} s) {delayed}"));
        if (latencies.Count > 0)
        {
            report.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Acceptance → forwarded: median {latencies[latencies.Count / 2].TotalSeconds:F1} s, 95th {latencies[(int)(latencies.Count * 0.95)].TotalSeconds:F1} s, max {latencies[^1].TotalSeconds:F1} s"));
        }

        report.WriteLine($"GLPI: {glpi.Count} references, {glpi.Values.Sum()} tickets; faults injected during the run: {faults?["counts"]?.ToJsonString()}");
        report.WriteLine($"Error queues: {errorQueues.Values.Sum()} messages; dead letters: {deadLetters}");
        report.WriteLine($"Liveness restarts (a worker whose /health/live failed, restarted as its supervisor would): {watchdog.Restarts}");

        Assert.Multiple(() =>
        {
            Assert.That(accepted, Has.Count.EqualTo(Tickets), "every ticket was eventually accepted");
            Assert.That(lost, Is.Empty, "lost: accepted but never forwarded");
            Assert.That(stored, Is.EqualTo(accepted.Count), "intake stored each accepted ticket once (Idempotency-Key)");
            Assert.That(duplicatedInGlpi, Is.Empty, "duplicated: more than one GLPI ticket for a hub reference");
            Assert.That(missingInGlpi, Is.Zero, "every accepted ticket exists in GLPI");
            Assert.That(errorQueues.Values.Sum(), Is.Zero, "no message left in an error queue");
            Assert.That(deadLetters, Is.Zero, "no dead letter");
        });
    }

    /// <summary>2,000 tickets at an even pace over the window, each retried with its Idempotency-Key until accepted.</summary>
    private async Task SubmitAsync(ConcurrentDictionary<Guid, (string Reference, DateTimeOffset At)> accepted, Action retried)
    {
        var interval = SubmissionWindow / Tickets;
        var started = Stopwatch.StartNew();
        var inFlight = new List<Task>();
        for (var i = 0; i < Tickets; i++)
        {
            var due = interval * i;
            if (started.Elapsed < due)
            {
                await Task.Delay(due - started.Elapsed);
            }

            var number = i;
            inFlight.Add(Task.Run(() => SubmitOneAsync(number, accepted, retried)));
        }

        await Task.WhenAll(inFlight);
    }

    private async Task SubmitOneAsync(int number, ConcurrentDictionary<Guid, (string Reference, DateTimeOffset At)> accepted, Action retried)
    {
        var key = $"chaos-{number:0000}";
        var body = new JsonObject
        {
            ["collegeUai"] = "0931234X",
            ["requester"] = new JsonObject { ["name"] = "Claire Martin", ["email"] = "claire.martin@ac-creteil.fr" },
            ["zone"] = "ZP",
            ["category"] = "vpi",
            ["title"] = $"VPI en panne, salle {number % 40}",
            ["description"] = $"Demande {number} du test de résistance.",
            ["urgency"] = "normal",
        }.ToJsonString();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
                request.Headers.Add("Idempotency-Key", key);
                using var response = await _client.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var answer = await response.Content.ReadFromJsonAsync<JsonObject>();
                    accepted.TryAdd(Guid.Parse(answer!["id"]!.GetValue<string>()), (answer["reference"]!.GetValue<string>(), DateTimeOffset.UtcNow));
                    return;
                }

                Assert.That((int)response.StatusCode, Is.GreaterThanOrEqualTo(500), $"ticket {number} refused: {await response.Content.ReadAsStringAsync()}");
            }
            catch (HttpRequestException)
            {
                // The gateway or intake was being killed: a real client tries again.
            }
            catch (TaskCanceledException)
            {
                // Timed out: same.
            }

            retried();
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"ticket {number} was never accepted");
            await Task.Delay(500);
        }
    }

    /// <summary>The faults, on a schedule, while the tickets come in.</summary>
    private async Task ChaosAsync(Stopwatch clock, TextWriter report)
    {
        // The schedule is written for a one-minute window and stretched to the configured one.
        var scale = SubmissionWindow.TotalSeconds / 60;
        async Task At(double seconds, string what, Func<Task> action)
        {
            var wait = TimeSpan.FromSeconds(seconds * scale) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            report.WriteLine($"{clock.Elapsed.TotalSeconds,5:F1} s  {what}");
            await action();
        }

        await At(6, "RabbitMQ stops (1st restart)", () => Task.Run(Broker.Stop));
        await At(11, "RabbitMQ starts", () => Task.Run(Broker.Start));
        await At(16, "classifier killed (SIGKILL)", () => RestartAsync(_classifier));
        await At(22, "GLPI connector killed (SIGKILL)", () => RestartAsync(_glpi));
        await At(26, $"GLPI down for {Outage.TotalSeconds:F0} s", () => SetFaultsAsync(0.10, 0.10, down: true));
        var back = Task.Run(async () =>
        {
            await Task.Delay(Outage);
            report.WriteLine($"{clock.Elapsed.TotalSeconds,5:F1} s  GLPI back (still 20 % faults)");
            await SetFaultsAsync(0.10, 0.10, down: false);
        });
        await At(32, "intake killed (SIGKILL)", () => RestartAsync(_intake));
        await At(40, "RabbitMQ stops (2nd restart)", () => Task.Run(Broker.Stop));
        await At(45, "RabbitMQ starts", () => Task.Run(Broker.Start));
        await back;
    }

    private async Task RestartAsync(ServiceProcess service)
    {
        await _restarting.WaitAsync();
        try
        {
            service.Kill();
            await Task.Delay(TimeSpan.FromSeconds(1));
            service.Start();
        }
        finally
        {
            _restarting.Release();
        }
    }

    private async Task SetFaultsAsync(double failureRate, double timeoutRate, bool down)
    {
        using var response = await _sandboxClient.PutAsJsonAsync("/glpi/_sandbox/faults", new { failureRate, timeoutRate, down });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Hub reference → number of GLPI tickets carrying it (at the start of their title, as GLPI 10 keeps it).</summary>
    private async Task<Dictionary<string, int>> GlpiTicketsPerReferenceAsync()
    {
        var references = await _sandboxClient.GetFromJsonAsync<JsonArray>("/glpi/_sandbox/references");
        return references!.ToDictionary(item => item!["reference"]!.GetValue<string>(), item => item!["count"]!.GetValue<int>());
    }

    private async Task<List<Guid>> ForwardedTicketsAsync()
    {
        await using var connection = await OpenAsync("intake");
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM tickets WHERE status = 'forwarded' AND external_tool = 'glpi'";
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(Guid.Parse(reader.GetString(0)));
        }

        return ids;
    }

    private Task<long> TicketCountAsync() => ScalarAsync("intake", "SELECT COUNT(*) FROM tickets");

    private Task<long> ScalarAsync(string database, string sql) => ServiceDatabase.ScalarAsync(Path.Combine(_folder, database + ".db"), sql);

    private Task<SqliteConnection> OpenAsync(string database) => ServiceDatabase.OpenAsync(Path.Combine(_folder, database + ".db"));
}
