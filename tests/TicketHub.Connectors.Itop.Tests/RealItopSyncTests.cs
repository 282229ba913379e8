using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MassTransit.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using TicketHub.Connectors.Itop.Forwarding;
using TicketHub.Connectors.Itop.Itop;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>
/// The whole connector against the real iTop 3.2 (ITIL): its sync follows more tickets than one
/// query names (<c>Itop:Sync:BatchSize</c>), of both classes, and brings every technician's change back.
/// </summary>
[NonParallelizable]
public sealed class RealItopSyncTests
{
    private readonly ConcurrentQueue<string> _queries = new();
    private ConnectorApp _app = null!;

    [SetUp]
    public void SetUp()
    {
        var settings = PeerTools.Itop.ConnectorSettings();
        settings["Itop:Sync:BatchSize"] = "2";
        settings["Itop:Sync:Interval"] = "00:00:00.5";
        _app = new ConnectorApp(settings, services: RecordQueries);
    }

    [TearDown]
    public async Task TearDown() => await _app.DisposeAsync();

    [Test]
    public async Task Follows_more_tickets_than_one_query_names_in_both_classes_and_brings_every_assignment_back()
    {
        var harness = _app.Services.GetTestHarness();
        var client = _app.Services.GetRequiredService<ItopClient>();
        var mapper = _app.Services.GetRequiredService<ItopTicketMapper>();
        var followed = new Dictionary<Guid, ItopTicketRef>();
        foreach (var type in new[] { "incident", "incident", "incident", "request", "request" })
        {
            var routed = TestTickets.Routed(reference: $"TH-SYNC-{Guid.NewGuid():N}"[..20], type: type, uai: PeerTools.Itop.Orgs[0].Code, category: "autre");
            var draft = await mapper.MapAsync(routed, CancellationToken.None);
            var created = await client.CreateTicketAsync(draft.Class, draft.Fields, $"TicketHub {routed.Reference}", CancellationToken.None);
            await _app.RecordCreatedAsync(routed.TicketId, routed.Reference, created.Key, lastUpdate: created.Fields.LastUpdate!, itopClass: draft.Class);
            followed[routed.TicketId] = new ItopTicketRef(draft.Class, created.Key);
        }

        using var agent = new RealItopClient(asAgent: true);
        foreach (var ticket in followed.Values)
        {
            var answer = await agent.CallAsync(new JsonObject
            {
                ["operation"] = "core/apply_stimulus", ["class"] = ticket.Class, ["key"] = ticket.Key, ["stimulus"] = "ev_assign",
                ["comment"] = "technicien (tests)", ["output_fields"] = "status",
                ["fields"] = new JsonObject { ["team_id"] = PeerTools.Itop.TeamId, ["agent_id"] = PeerTools.Itop.AgentId },
            });
            Assert.That(answer["code"]!.GetValue<int>(), Is.Zero, answer.ToJsonString());
        }

        await Eventually.TrueAsync(() => followed.Keys.All(ticketId => InProgress(harness, ticketId)), "every assignment back in the hub", seconds: 60);
        var polls = _queries.Where(query => query.Contains("WHERE id IN (", StringComparison.Ordinal)).ToList();
        Assert.That(polls, Has.Some.StartsWith("SELECT Incident WHERE id IN (").And.Some.StartsWith("SELECT UserRequest WHERE id IN ("));
        Assert.That(polls.Max(query => query.Count(c => c == ',') + 1), Is.LessThanOrEqualTo(2), "at most two ids per query");
    }

    private static bool InProgress(ITestHarness harness, Guid ticketId) =>
        harness.Published.Select<ExternalTicketUpdated>(message => message.Context.Message.TicketId == ticketId && message.Context.Message.Status == HubStatuses.InProgress).Any();

    /// <summary>Keeps the OQL of every core/get the connector sends to iTop.</summary>
    private void RecordQueries(IServiceCollection services) =>
        services.ConfigureAll<HttpClientFactoryOptions>(options => options.HttpMessageHandlerBuilderActions.Add(handlers =>
            handlers.AdditionalHandlers.Add(new Recorder(_queries))));

    private sealed class Recorder(ConcurrentQueue<string> queries) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is { } content && QueryHelpers.ParseQuery(await content.ReadAsStringAsync(cancellationToken)).TryGetValue("json_data", out var json)
                && JsonNode.Parse(json.ToString()) is JsonObject data && data["operation"]?.GetValue<string>() == "core/get" && data["key"] is JsonValue key)
            {
                queries.Enqueue(key.ToString());
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
