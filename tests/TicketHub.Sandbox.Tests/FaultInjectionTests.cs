using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TicketHub.Sandbox.Faults;

namespace TicketHub.Sandbox.Tests;

/// <summary>
/// Faults injected into the emulated APIs (<c>Sandbox:Glpi:Faults</c>, <c>/glpi/_sandbox/faults</c>)
/// and the per-reference count that lets a chaos test check "exactly one ticket per reference".
/// </summary>
public sealed class FaultInjectionTests
{
    private const string Api = SandboxApp.Api;
    private const string Faults = "/glpi/_sandbox/faults";

    private SandboxApp _sandbox = null!;

    [TearDown]
    public async Task TearDown() => await _sandbox.DisposeAsync();

    [Test]
    public async Task Injects_no_fault_when_the_rates_are_zero()
    {
        _sandbox = new SandboxApp();
        using var client = await _sandbox.LogInAsync();

        for (var number = 1; number <= 20; number++)
        {
            using var created = await CreateAsync(client, $"TH-{number}");
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        var state = await GetJsonAsync(Faults);
        Assert.That(state.GetProperty("failureRate").GetDouble(), Is.Zero);
        Assert.That(state.GetProperty("timeoutRate").GetDouble(), Is.Zero);
        Assert.That(state.GetProperty("timeoutAfterEffectShare").GetDouble(), Is.EqualTo(0.5));
        Assert.That(state.GetProperty("timeoutDelay").GetString(), Is.EqualTo("00:00:30"));
        Assert.That(state.GetProperty("down").GetBoolean(), Is.False);
        Assert.That(Counts(state), Is.EqualTo(new[] { 21, 0, 0, 0, 0 }), "initSession and 20 creates, none faulty");
    }

    [Test]
    public async Task Fails_every_API_call_with_500_and_creates_nothing_at_failure_rate_1()
    {
        _sandbox = new SandboxApp();
        using var client = await _sandbox.LogInAsync();
        await PutFaultsAsync("""{"failureRate":1}""");

        using var create = await CreateAsync(client, "TH-1");
        using var list = await client.GetAsync(new Uri($"{Api}/Ticket", UriKind.Relative));
        using var login = await _sandbox.CreateClient().GetAsync(new Uri($"{Api}/initSession", UriKind.Relative));

        Assert.That(await create.AssertGlpiErrorAsync(500, "ERROR"), Does.Contain("Sandbox:Glpi:Faults"));
        await list.AssertGlpiErrorAsync(500, "ERROR");
        await login.AssertGlpiErrorAsync(500, "ERROR");
        Assert.That((await GetJsonAsync("/glpi/_sandbox/tickets")).GetArrayLength(), Is.Zero, "a failure has no side effect");
        Assert.That(Counts(await GetJsonAsync(Faults)), Is.EqualTo(new[] { 4, 3, 0, 0, 0 }));
    }

    [Test]
    public async Task Creates_the_ticket_but_loses_the_answer_on_a_timeout_after_effect()
    {
        _sandbox = new SandboxApp();
        using var client = await _sandbox.LogInAsync();
        await PutFaultsAsync("""{"timeoutRate":1,"timeoutAfterEffectShare":1}""");

        // The answer is held 30 s; the client gives up first and the sandbox stops holding.
        using var impatience = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        Assert.That(() => CreateAsync(client, "TH-42", impatience.Token), Throws.InstanceOf<OperationCanceledException>());
        await PutFaultsAsync("""{"timeoutRate":0}""");
        var found = await client.GetFromJsonAsync<JsonElement>(new Uri($"{Api}/Ticket?searchText[name]=TH-42", UriKind.Relative));

        Assert.That(found.GetArrayLength(), Is.EqualTo(1), "the ticket was created though its answer was lost");
        Assert.That(found[0].GetProperty("name").GetString(), Does.StartWith("[TH-42]"));
        Assert.That(Counts(await GetJsonAsync(Faults)), Is.EqualTo(new[] { 3, 0, 0, 1, 0 }), "initSession, the lost create, the search");
    }

    [Test]
    public async Task Does_nothing_and_answers_504_late_on_a_timeout_without_effect()
    {
        _sandbox = new SandboxApp(new() { ["Sandbox:Glpi:Faults:TimeoutDelay"] = "00:00:00.050" });
        using var client = await _sandbox.LogInAsync();
        await PutFaultsAsync("""{"timeoutRate":1,"timeoutAfterEffectShare":0}""");

        using var create = await CreateAsync(client, "TH-42");

        Assert.That(create.StatusCode, Is.EqualTo(HttpStatusCode.GatewayTimeout), "a client patient enough sees the load balancer give up");
        Assert.That((await GetJsonAsync("/glpi/_sandbox/tickets")).GetArrayLength(), Is.Zero);
        Assert.That(Counts(await GetJsonAsync(Faults)), Is.EqualTo(new[] { 2, 0, 1, 0, 0 }));
    }

    [Test]
    public async Task Answers_503_to_every_API_call_while_down_and_keeps_pages_and_sandbox_JSON()
    {
        _sandbox = new SandboxApp();
        using var client = await _sandbox.LogInAsync();
        await PutFaultsAsync("""{"down":true}""");

        HttpResponseMessage[] api =
        [
            await CreateAsync(client, "TH-1"),
            await client.GetAsync(new Uri($"{Api}/Ticket/1", UriKind.Relative)),
            await client.GetAsync(new Uri($"{Api}/Computer/1", UriKind.Relative)),
            await _sandbox.CreateClient().GetAsync(new Uri($"{Api}/initSession", UriKind.Relative)),
        ];
        using var browser = _sandbox.CreateClient();
        using var home = await browser.GetAsync(new Uri("/", UriKind.Relative));
        using var page = await browser.GetAsync(new Uri("/glpi", UriKind.Relative));
        using var tickets = await browser.GetAsync(new Uri("/glpi/_sandbox/tickets", UriKind.Relative));

        Assert.That(api.Select(response => response.StatusCode), Is.All.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(await api[0].Content.ReadAsStringAsync(), Does.Contain("503 Service Unavailable"));
        Assert.That(new[] { home.StatusCode, page.StatusCode, tickets.StatusCode }, Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That((await tickets.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength(), Is.Zero, "down has no side effect");
        var state = await GetJsonAsync(Faults);
        Assert.That(state.GetProperty("down").GetBoolean(), Is.True);
        Assert.That(Counts(state), Is.EqualTo(new[] { 5, 0, 0, 0, 4 }));

        await PutFaultsAsync("""{"down":false}""");
        using var afterwards = await CreateAsync(client, "TH-1");
        Assert.That(afterwards.StatusCode, Is.EqualTo(HttpStatusCode.Created), "the session outlived the outage");
        foreach (var response in api)
        {
            response.Dispose();
        }
    }

    [Test]
    public async Task Draws_the_same_faults_again_from_the_same_seed()
    {
        _sandbox = new SandboxApp();
        using var client = await _sandbox.LogInAsync();
        static string Settings(int seed) =>
            $$"""{"failureRate":0.3,"timeoutRate":0.2,"timeoutAfterEffectShare":0,"timeoutDelay":"00:00:00.010","seed":{{seed}}}""";

        await PutFaultsAsync(Settings(42));
        var first = await StatusesAsync(client, 40);
        await PutFaultsAsync(Settings(42));
        var again = await StatusesAsync(client, 40);
        await PutFaultsAsync(Settings(7));
        var other = await StatusesAsync(client, 40);

        Assert.That(first, Does.Contain(200).And.Contain(500).And.Contain(504));
        Assert.That(again, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public async Task Restores_the_configured_faults_and_zeroes_the_counts_on_delete()
    {
        _sandbox = new SandboxApp(new() { ["Sandbox:Glpi:Faults:FailureRate"] = "0.25", ["Sandbox:Glpi:Faults:Seed"] = "3" });
        using var browser = _sandbox.CreateClient();
        await PutFaultsAsync("""{"failureRate":1,"down":true}""");
        (await browser.GetAsync(new Uri($"{Api}/initSession", UriKind.Relative))).Dispose();

        using var reset = await browser.DeleteAsync(new Uri(Faults, UriKind.Relative));

        Assert.That(reset.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var state = await GetJsonAsync(Faults);
        Assert.That(state.GetProperty("failureRate").GetDouble(), Is.EqualTo(0.25));
        Assert.That(state.GetProperty("seed").GetInt32(), Is.EqualTo(3));
        Assert.That(state.GetProperty("down").GetBoolean(), Is.False);
        Assert.That(Counts(state), Is.EqualTo(new[] { 0, 0, 0, 0, 0 }));
    }

    [TestCase("""{"failureRate":1.5}""", "FailureRate")]
    [TestCase("""{"failureRate":0.6,"timeoutRate":0.6}""", "add up to 1")]
    [TestCase("""{"timeoutDelay":"00:00:00"}""", "TimeoutDelay")]
    public async Task Refuses_faults_that_cannot_be_drawn(string change, string problem)
    {
        _sandbox = new SandboxApp();
        using var browser = _sandbox.CreateClient();

        using var response = await browser.PutAsync(new Uri(Faults, UriKind.Relative), Json(change));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Sandbox:Glpi:Faults:").And.Contain(problem));
        Assert.That((await GetJsonAsync(Faults)).GetProperty("failureRate").GetDouble(), Is.Zero, "nothing changed");
    }

    [Test]
    public void Refuses_to_start_with_a_rate_outside_0_to_1()
    {
        _sandbox = new SandboxApp(new() { ["Sandbox:Glpi:Faults:TimeoutRate"] = "2" });

        var failure = Assert.Throws<OptionsValidationException>(() => _sandbox.CreateClient());

        Assert.That(failure!.Message, Does.Contain("Sandbox:Glpi:Faults:TimeoutRate must be between 0 and 1."));
    }

    [Test]
    public async Task Lists_the_GLPI_tickets_of_each_reference()
    {
        _sandbox = new SandboxApp();
        using var client = await _sandbox.LogInAsync();
        foreach (var reference in new[] { "TH-2", "TH-1", "TH-2", "" })
        {
            (await CreateAsync(client, reference)).Dispose();
        }

        var all = await GetJsonAsync("/glpi/_sandbox/references");
        var duplicates = await GetJsonAsync("/glpi/_sandbox/references?duplicates=true");

        Assert.That(all.GetRawText(), Is.EqualTo("""[{"reference":"TH-1","count":1,"ids":[2]},{"reference":"TH-2","count":2,"ids":[1,3]}]"""));
        Assert.That(duplicates.GetRawText(), Is.EqualTo("""[{"reference":"TH-2","count":2,"ids":[1,3]}]"""));
    }

    [Test]
    public async Task Injects_faults_into_iTop_PASS_and_Omere_each_on_its_own()
    {
        _sandbox = new SandboxApp();
        using var browser = _sandbox.CreateClient();
        (await browser.PutAsync(new Uri("/itop/_sandbox/faults", UriKind.Relative), Json("""{"failureRate":1}"""))).Dispose();
        (await browser.PutAsync(new Uri("/pass/_sandbox/faults", UriKind.Relative), Json("""{"down":true}"""))).Dispose();

        using var itop = await browser.PostAsync(new Uri("/itop/webservices/rest.php", UriKind.Relative), Json("{}"));
        using var pass = await _sandbox.ToolClient("pass").GetAsync(new Uri("tickets?reference=TH-1", UriKind.Relative));
        using var omere = await _sandbox.ToolClient("omere").GetAsync(new Uri("tickets?reference=TH-1", UriKind.Relative));
        using var glpi = await browser.GetAsync(new Uri($"{Api}/initSession", UriKind.Relative));

        Assert.That(itop.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(pass.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(omere.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(glpi.StatusCode, Is.Not.EqualTo(HttpStatusCode.InternalServerError).And.Not.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That((await GetJsonAsync("/itop/_sandbox/faults")).GetProperty("counts").GetProperty("failures").GetInt64(), Is.EqualTo(1));
    }

    [Test]
    public void Draws_failures_and_timeouts_in_the_configured_shares()
    {
        var injector = new FaultInjector("Sandbox:Glpi:Faults", new FaultOptions { FailureRate = 0.1, TimeoutRate = 0.1, TimeoutAfterEffectShare = 0.5, Seed = 1 });

        var faults = Enumerable.Range(0, 10_000).Select(_ => injector.Next(isWrite: true)).ToList();
        var reads = Enumerable.Range(0, 1_000).Select(_ => injector.Next(isWrite: false)).ToList();

        Assert.That(faults.Count(fault => fault == Fault.Failure), Is.InRange(900, 1100));
        Assert.That(faults.Count(fault => fault == Fault.Timeout), Is.InRange(400, 600));
        Assert.That(faults.Count(fault => fault == Fault.TimeoutAfterEffect), Is.InRange(400, 600));
        Assert.That(reads, Has.None.EqualTo(Fault.TimeoutAfterEffect), "a read has no effect to apply");
        Assert.That(injector.State().Counts.Calls, Is.EqualTo(11_000));
    }

    private async Task<List<int>> StatusesAsync(HttpClient client, int calls)
    {
        var statuses = new List<int>();
        for (var call = 0; call < calls; call++)
        {
            using var response = await client.GetAsync(new Uri($"{Api}/Ticket", UriKind.Relative));
            statuses.Add((int)response.StatusCode);
        }

        return statuses;
    }

    private static Task<HttpResponseMessage> CreateAsync(HttpClient client, string reference, CancellationToken cancellation = default) =>
        client.PostAsync(new Uri($"{Api}/Ticket", UriKind.Relative), Json($$$"""{"input":{"name":"[{{{reference}}}] Panne","content":"<p>Écran noir</p>"}}"""), cancellation);

    private async Task PutFaultsAsync(string change)
    {
        using var browser = _sandbox.CreateClient();
        using var response = await browser.PutAsync(new Uri(Faults, UriKind.Relative), Json(change));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var browser = _sandbox.CreateClient();
        return await browser.GetFromJsonAsync<JsonElement>(new Uri(path, UriKind.Relative));
    }

    /// <summary>calls, failures, timeoutsWithoutEffect, timeoutsAfterEffect, refusedWhileDown.</summary>
    private static long[] Counts(JsonElement state)
    {
        var counts = state.GetProperty("counts");
        return [.. new[] { "calls", "failures", "timeoutsWithoutEffect", "timeoutsAfterEffect", "refusedWhileDown" }
            .Select(name => counts.GetProperty(name).GetInt64())];
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
