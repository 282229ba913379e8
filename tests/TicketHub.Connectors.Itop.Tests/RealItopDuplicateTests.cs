using System.Globalization;
using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Testing;
using TicketHub.Connectors.Shared.Text;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>
/// Duplicates (« doublon de TH-… », issue 16) against the real iTop 3.2 (ITIL modules): the connector
/// creates the ticket, then hears that the hub closed it as a duplicate. What the support agent then
/// finds in iTop: one public-log entry saying where the fault is followed; with
/// <c>Itop:CloseDuplicates</c>, the ticket resolved with the hub's solution, from new as from assigned,
/// unless an agent resolved it first. The connector logs in as the hub's REST account and as the least
/// privileged support agent (peers README): both must be able to.
/// </summary>
[TestFixtureSource(nameof(Accounts))]
[NonParallelizable]
public sealed class RealItopDuplicateTests(bool asSupportAgent)
{
    private ConnectorApp? _app;

    public static IEnumerable<TestFixtureData> Accounts =>
    [
        new TestFixtureData(false).SetArgDisplayNames("hub-rest"),
        new TestFixtureData(true).SetArgDisplayNames("hub-agent"),
    ];

    [TearDown]
    public async Task TearDown()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Test]
    public async Task Writes_the_note_once_on_the_real_request_and_leaves_it_to_its_team_by_default()
    {
        var (routed, key) = await CreatedInItopAsync("request", closeDuplicates: false);
        var duplicate = Duplicate(routed, key);
        var messageId = NewId.NextGuid();

        await Harness.Bus.Publish(duplicate, context => context.MessageId = messageId);
        await Harness.Bus.Publish(duplicate, context => context.MessageId = messageId);
        await Eventually.TrueAsync(async () => (await ReadAsync("UserRequest", key))["public_log"]!["entries"]!.AsArray().Count > 0, "the note reached iTop", seconds: 30);
        await Harness.InactivityTask;

        var read = await ReadAsync("UserRequest", key);
        var entry = read["public_log"]!["entries"]!.AsArray().Single()!;
        Assert.That(ToolHtml.ToPlainText(entry["message_html"]!.GetValue<string>()), Is.EqualTo(
            "Doublon de la demande TH-2026-000123 (ticket 4242 dans iTop), où ce problème est suivi : clos dans TicketHub le 06/12/2026 à 21:10 par Anne Dupont (dispatcher).\n"
            + $"Ce ticket (référence TicketHub {routed.Reference}) peut être clos."));
        Assert.That(read["status"]!.GetValue<string>(), Is.EqualTo("new"), "the team closes it");
        Assert.That((await _app!.ExternalTicketAsync(routed.TicketId))?.Moved, Is.True, "no longer followed: nothing of it comes back to the hub");
        Assert.That(await _app.HubEntriesAsync(routed.TicketId), Has.Count.EqualTo(1));
    }

    [TestCase("incident", "Incident", TestName = "{m}(a new incident)")]
    [TestCase("request", "UserRequest", TestName = "{m}(a new request)")]
    public async Task Resolves_the_real_ticket_after_the_note_when_set_to_close_duplicates(string type, string className)
    {
        var (routed, key) = await CreatedInItopAsync(type, closeDuplicates: true);

        await Harness.Bus.Publish(Duplicate(routed, key));
        await Eventually.TrueAsync(async () => (await ReadAsync(className, key))["status"]!.GetValue<string>() == "resolved", "iTop resolved the ticket", seconds: 30);
        await Harness.InactivityTask;

        var read = await ReadAsync(className, key);
        Assert.That(ToolHtml.ToPlainText(read["solution"]!.GetValue<string>()), Is.EqualTo(
            "Résolu par TicketHub : doublon de la demande TH-2026-000123 (ticket 4242 dans iTop), où ce problème est suivi."));
        Assert.That(read["public_log"]!["entries"]!.AsArray().Select(item => ToolHtml.ToPlainText(item!["message_html"]!.GetValue<string>())),
            Has.Exactly(1).StartsWith("Doublon de la demande TH-2026-000123"));
        Assert.That(_app!.Logs.Lines, Has.Some.Contains($"iTop ticket {className}::{key} resolved (ev_autoresolve, now resolved)"));
    }

    [Test]
    public async Task Resolves_a_request_an_agent_took_with_the_agents_own_transition()
    {
        var (routed, key) = await CreatedInItopAsync("request", closeDuplicates: true);
        await AsAgentAsync("UserRequest", key, "ev_assign", new JsonObject { ["team_id"] = PeerTools.Itop.TeamId, ["agent_id"] = PeerTools.Itop.AgentId });

        await Harness.Bus.Publish(Duplicate(routed, key));
        await Eventually.TrueAsync(async () => (await ReadAsync("UserRequest", key))["status"]!.GetValue<string>() == "resolved", "iTop resolved the request", seconds: 30);
        await Harness.InactivityTask;

        Assert.That(_app!.Logs.Lines, Has.Some.Contains($"iTop ticket UserRequest::{key} resolved (ev_resolve, now resolved)"));
        Assert.That((await ReadAsync("UserRequest", key))["agent_id"]!.ToString(), Is.EqualTo(PeerTools.Itop.AgentId.ToString(CultureInfo.InvariantCulture)), "still the agent's");
    }

    [Test]
    public async Task Keeps_the_solution_an_agent_gave_first_and_still_writes_the_note()
    {
        var (routed, key) = await CreatedInItopAsync("incident", closeDuplicates: true);
        await AsAgentAsync("Incident", key, "ev_assign", new JsonObject { ["team_id"] = PeerTools.Itop.TeamId, ["agent_id"] = PeerTools.Itop.AgentId });
        await AsAgentAsync("Incident", key, "ev_resolve", new JsonObject { ["solution"] = "<p>Switch redémarré.</p>" });

        await Harness.Bus.Publish(Duplicate(routed, key));
        await Eventually.TrueAsync(async () => (await ReadAsync("Incident", key))["public_log"]!["entries"]!.AsArray().Count > 0, "the note reached iTop", seconds: 30);
        await Harness.InactivityTask;

        var read = await ReadAsync("Incident", key);
        Assert.That(ToolHtml.ToPlainText(read["solution"]!.GetValue<string>()), Is.EqualTo("Switch redémarré."));
        Assert.That(_app!.Logs.Lines, Has.Some.Contains($"iTop ticket Incident::{key} is already resolved; left as it is"));
    }

    private ITestHarness Harness => _app!.Services.GetTestHarness();

    /// <summary>A routed ticket of this run, created in the real iTop by the connector (set to close duplicates or not).</summary>
    private async Task<(TicketRouted Routed, int Key)> CreatedInItopAsync(string type, bool closeDuplicates)
    {
        var settings = PeerTools.Itop.ConnectorSettings(asSupportAgent);
        settings["Itop:Sync:Interval"] = "00:00:01";
        settings["Itop:CloseDuplicates"] = closeDuplicates ? "true" : "false";
        _app = new ConnectorApp(settings);
        var routed = TestTickets.Routed(reference: $"TH-DUP-{Guid.NewGuid():N}"[..20], type: type, uai: PeerTools.Itop.Orgs[0].Code, category: "autre");
        await Harness.Bus.Publish(routed);
        await foreach (var published in Harness.Published.SelectAsync<TicketForwarded>(message => message.Context.Message.TicketId == routed.TicketId))
        {
            return (routed, int.Parse(published.Context.Message.ExternalId, CultureInfo.InvariantCulture));
        }

        throw new AssertionException("no TicketForwarded");
    }

    /// <summary>Closed by Anne Dupont on 6 December 2026 at 21:10 (Paris) as a duplicate of TH-2026-000123, iTop's ticket 4242.</summary>
    private static TicketClosedAsDuplicate Duplicate(TicketRouted routed, int key) =>
        new(routed.TicketId, routed.Reference, ExternalTools.Itop, key.ToString(CultureInfo.InvariantCulture), Guid.NewGuid(), "TH-2026-000123",
            ExternalTools.Itop, "4242", "Anne Dupont (dispatcher)", new DateTimeOffset(2026, 12, 6, 20, 10, 0, TimeSpan.Zero));

    /// <summary>The ticket as iTop holds it: status, solution, public log, agent.</summary>
    private static async Task<JsonObject> ReadAsync(string className, int key)
    {
        using var itop = new RealItopClient();
        return (await itop.GetAsync(className, $"SELECT {className} WHERE id = {key}", "status,solution,public_log,agent_id")).Single();
    }

    /// <summary>The support agent applies <paramref name="stimulus"/> in iTop, as from its console.</summary>
    private static async Task AsAgentAsync(string className, int key, string stimulus, JsonObject fields)
    {
        using var agent = new RealItopClient(asAgent: true);
        var answer = await agent.CallAsync(new JsonObject
        {
            ["operation"] = "core/apply_stimulus", ["class"] = className, ["key"] = key, ["stimulus"] = stimulus,
            ["comment"] = "agent (tests)", ["output_fields"] = "status", ["fields"] = fields,
        });
        Assert.That(answer["code"]!.GetValue<int>(), Is.Zero, answer.ToJsonString());
    }
}
