using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Contracts;

namespace TicketHub.Intake.Tests;

/// <summary>Brings tickets to a given point through the API and the bus, as the other services would.</summary>
internal sealed class TicketScenarios(IntakeFactory factory, HttpClient client)
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private IBus Bus => factory.Services.GetRequiredService<IBus>();

    /// <summary>A ticket a collège just sent, which the classifier has not routed yet.</summary>
    public async Task<(Guid Id, string Reference)> ReceivedAsync()
    {
        using var response = await client.PostAsync("/api/v1/tickets",
            new StringContent(TicketRequestParserTests.ValidBody().ToJsonString(), Encoding.UTF8, "application/json"));
        var accepted = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (Guid.Parse(accepted!["id"]!.GetValue<string>()), accepted["reference"]!.GetValue<string>());
    }

    /// <summary>A ticket of <paramref name="uai"/> just sent, as <paramref name="sender"/> (the scenario's client when null).</summary>
    public async Task<(Guid Id, string Reference)> ReceivedAsync(string uai, string title = "VPI en panne", HttpClient? sender = null)
    {
        var body = TicketRequestParserTests.ValidBody();
        body["collegeUai"] = uai;
        body["title"] = title;
        using var response = await (sender ?? client).PostAsync("/api/v1/tickets", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.That((int)response.StatusCode, Is.EqualTo(202), await response.Content.ReadAsStringAsync());
        var accepted = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (Guid.Parse(accepted!["id"]!.GetValue<string>()), accepted["reference"]!.GetValue<string>());
    }

    /// <summary>The classifier's decision for a ticket of <paramref name="college"/> (null: a collège absent from the registry).</summary>
    public Task RouteAsync((Guid Id, string Reference) ticket, string target, string? tool, string? queue = null, CollegeSnapshot? college = null)
    {
        var details = new TicketDetails(college?.Uai ?? "0931234X", new Requester("Claire Martin", "c@ac-creteil.fr", null), "ZP", "vpi", "incident", false, "VPI", "éteint", "normal", null, null);
        return DeliverAsync(new TicketRouted(ticket.Id, ticket.Reference, T0, details,
            new RouteDecision(target, tool, queue, target == RouteTargets.Triage ? "R8" : "R4", "t", "Transmise.", []), college, T0));
    }

    /// <summary>A ticket the classifier sent to <paramref name="tool"/> (and, for Omère, to <paramref name="queue"/>).</summary>
    public async Task<(Guid Id, string Reference)> RoutedAsync(string tool, string? queue = null)
    {
        var (id, reference) = await ReceivedAsync();
        var target = tool switch
        {
            ExternalTools.Pass => RouteTargets.Pass,
            ExternalTools.Omere => RouteTargets.Omere,
            _ => RouteTargets.Infogerant,
        };
        var details = new TicketDetails("0931234X", new Requester("Claire Martin", "c@ac-creteil.fr", null), "ZP", "vpi", "incident", false, "VPI", "éteint", "normal", null, null);
        await DeliverAsync(new TicketRouted(id, reference, T0, details,
            new RouteDecision(target, tool, queue, "R2", "t", "Transmise.", []), null, T0));
        return (id, reference);
    }

    /// <summary>A ticket routed to <paramref name="tool"/> that the connector reports created there as <paramref name="externalId"/>.</summary>
    public async Task<(Guid Id, string Reference)> ForwardedAsync(string tool, string externalId)
    {
        var (id, reference) = await RoutedAsync(tool);
        await DeliverAsync(new TicketForwarded(id, reference, tool, externalId, null, T0));
        return (id, reference);
    }

    /// <summary>Publishes and waits until intake has finished with it (consumed, whatever the outcome).</summary>
    public async Task DeliverAsync<T>(T message, Guid? messageId = null)
        where T : class
    {
        var id = messageId ?? NewId.NextGuid();
        await Bus.Publish(message, c => c.MessageId = id);
        var harness = factory.Services.GetTestHarness();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!harness.Consumed.Select<T>(m => m.Context.MessageId == id).Any())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"the {typeof(T).Name} was never consumed");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// The first <typeparamref name="T"/> published that matches, waiting for the outbox relay (20
    /// seconds at most): the harness's own wait ends at the first moment of inactivity.
    /// </summary>
    public async Task<T> PublishedAsync<T>(Func<T, bool> match)
        where T : class
    {
        var harness = factory.Services.GetTestHarness();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var found = harness.Published.Select<T>(m => match(m.Context.Message)).FirstOrDefault();
            if (found is not null)
            {
                return found.Context.Message;
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"no {typeof(T).Name} was published");
            await Task.Delay(50);
        }
    }

    public async Task<JsonObject> GetAsync(Guid id) => (await client.GetFromJsonAsync<JsonObject>($"/api/v1/tickets/{id}"))!;

    /// <summary>Reads the ticket until <paramref name="condition"/> holds (20 seconds at most), for what intake does in the background.</summary>
    public async Task<JsonObject> WaitForAsync(Guid id, Func<JsonObject, bool> condition)
    {
        JsonObject? ticket = null;
        for (var i = 0; i < 200; i++)
        {
            ticket = await GetAsync(id);
            if (condition(ticket))
            {
                return ticket;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Condition never met; last state: {ticket?.ToJsonString()}");
        throw new InvalidOperationException();
    }
}
