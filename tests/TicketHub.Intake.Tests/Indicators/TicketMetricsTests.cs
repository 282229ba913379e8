using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Contracts;
using TicketHub.Intake.Indicators;

namespace TicketHub.Intake.Tests.Indicators;

/// <summary>The indicators' counters and delays as OpenTelemetry metrics, recorded once their change has committed.</summary>
public sealed class TicketMetricsTests : IntakeTest
{
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, string?> Tags)> _measured = new();
    private MeterListener _listener = null!;

    [SetUp]
    public void Listen()
    {
        _measured.Clear();
        // Only this test's intake: its meter factory is the meter's scope.
        var factory = Factory.Services.GetRequiredService<IMeterFactory>();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == TicketMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    [TearDown]
    public void StopListening() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var named = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            named[tag.Key] = tag.Value?.ToString();
        }

        _measured.Enqueue((instrument.Name, value, named));
    }

    private List<(double Value, Dictionary<string, string?> Tags)> Of(string instrument) =>
        [.. _measured.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags))];

    [Test]
    public async Task A_ticket_received_routed_forwarded_and_resolved_is_counted_once_each_with_its_delays()
    {
        var (id, reference) = await Tickets.ForwardedAsync(ExternalTools.Glpi, "15");
        await Tickets.DeliverAsync(new ExternalTicketUpdated(id, reference, ExternalTools.Glpi, "15", HubStatuses.Resolved, "5", null, null, null,
            DateTimeOffset.UtcNow.AddHours(2), "s1"));

        Assert.That(Of("tickethub.tickets.received").Sum(m => m.Value), Is.EqualTo(1), string.Join(" | ", _measured.Select(m => $"{m.Instrument}={m.Value} {string.Join(",", m.Tags)}")));
        Assert.That(Of("tickethub.tickets.routed").Select(m => (m.Value, m.Tags["target"], m.Tags["rule"])), Is.EqualTo(new[] { (1.0, "infogerant", "R2") }));
        var steps = Of("tickethub.tickets.step.duration");
        Assert.That(steps.Select(s => s.Tags["step"]), Is.EqualTo(new[] { "route", "tool", "resolve" }));
        Assert.That(steps.Single(s => s.Tags["step"] == "resolve").Value, Is.EqualTo(2 * 3600).Within(120), "seconds from reception, by the tool's clock");
        Assert.That(steps.All(s => s.Tags["target"] == "infogerant"), Is.True);
        Assert.That(Of("tickethub.tickets.transitions").Select(t => t.Tags["status"]), Is.EqualTo(new[] { "routed", "forwarded", "resolved" }));
    }

    [Test]
    public async Task A_reroute_is_counted_with_the_team_left_and_the_team_reached()
    {
        var ticket = await Tickets.RoutedAsync(ExternalTools.Glpi);

        using var response = await Client.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id}/reroute", new { target = "pass", reason = "Application nationale." });

        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        Assert.That(Of("tickethub.tickets.rerouted").Select(m => (m.Tags["from_target"], m.Tags["to_target"])), Is.EqualTo(new[] { ((string?)"infogerant", (string?)"pass") }));
        Assert.That(Of("tickethub.tickets.routed").Count, Is.EqualTo(1), "a person's route is no automatic one");
    }

    [Test]
    public void The_Grafana_dashboard_asks_only_for_metrics_intake_publishes()
    {
        var published = new HashSet<string>(StringComparer.Ordinal);
        var factory = Factory.Services.GetRequiredService<IMeterFactory>();
        using (var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == TicketMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    published.Add(PrometheusName(instrument));
                }
            },
        })
        {
            listener.Start();
        }

        var dashboard = File.ReadAllText(Path.Combine(TicketHub.Testing.Repository.Root, "deploy", "grafana", "tickethub-maintenance.json"));
        var asked = System.Text.RegularExpressions.Regex.Matches(dashboard, "tickethub_[a-z_]+").Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

        Assert.That(asked, Is.Not.Empty);
        Assert.That(asked.Except(published), Is.Empty, $"published: {string.Join(", ", published)}");
    }

    /// <summary>The name Prometheus gives an OpenTelemetry instrument: dots to underscores, the unit in seconds, <c>_total</c> for a counter, <c>_bucket</c> for a histogram's buckets.</summary>
    private static string PrometheusName(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_') + (instrument.Unit == "s" ? "_seconds" : "");
        return instrument switch
        {
            Counter<long> => name + "_total",
            Histogram<double> => name + "_bucket",
            _ => name,
        };
    }
}
