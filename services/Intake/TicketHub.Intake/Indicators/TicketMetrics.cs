using System.Diagnostics.Metrics;
using Dapper;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Hosting;

namespace TicketHub.Intake.Indicators;

/// <summary>
/// The indicators' counters and delays as OpenTelemetry metrics (meter <c>TicketHub.Intake</c>,
/// exported over OTLP where configured), for operators to follow live (<c>deploy/grafana/</c>). They
/// count events as they happen, once their unit of work has committed (a change retried is counted
/// once): a ticket resolved twice counts twice here, once in the indicators, which count tickets.
/// Tags stay few (team, rule, tool, status, step): never a collège or a ticket.
/// </summary>
public sealed class TicketMetrics
{
    public const string MeterName = "TicketHub.Intake";

    private readonly Counter<long> _received;
    private readonly Counter<long> _routed;
    private readonly Counter<long> _rerouted;
    private readonly Counter<long> _transitions;
    private readonly Histogram<double> _steps;
    private readonly Counter<long> _refusedFiles;
    private readonly Counter<long> _deadLetters;
    private IReadOnlyList<(string Status, long Count)> _open = [];

    public TicketMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _received = meter.CreateCounter<long>("tickethub.tickets.received", "{ticket}", "Tickets received by the hub.");
        _routed = meter.CreateCounter<long>("tickethub.tickets.routed", "{ticket}", "Automatic routes decided, by team and rule.");
        _rerouted = meter.CreateCounter<long>("tickethub.tickets.rerouted", "{ticket}", "Tickets a person sent to another team, by the team they left and the one they went to.");
        _transitions = meter.CreateCounter<long>("tickethub.tickets.transitions", "{change}", "Changes of status, by the status reached.");
        _steps = meter.CreateHistogram<double>("tickethub.tickets.step.duration", "s", "Time from a ticket's reception to a step of its life, by step and team.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [60, 300, 900, 3600, 4 * 3600, 8 * 3600, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400] });
        _refusedFiles = meter.CreateCounter<long>("tickethub.attachments.refused", "{file}", "Files a team's tool refused for good, by tool.");
        _deadLetters = meter.CreateCounter<long>("tickethub.dead_letters", "{message}", "Messages a service gave up on, by service.");
        meter.CreateObservableGauge("tickethub.tickets.open", () => _open.Select(o => new Measurement<long>(o.Count, new KeyValuePair<string, object?>("status", o.Status))),
            "{ticket}", "Tickets neither resolved nor closed, by status (sampled every minute).");
    }

    /// <summary>A ticket stored, counted when its unit of work commits.</summary>
    public void Received(string? zone) => UnitOfWork.AfterCommit(() => _received.Add(1, new KeyValuePair<string, object?>("zone", zone ?? "inconnue")));

    /// <summary>
    /// A change of a ticket received at <paramref name="receivedAt"/>, from <paramref name="from"/> to
    /// <paramref name="to"/>: <paramref name="route"/> when it writes one (its target and rule), and the
    /// team it was with before (<paramref name="previousTarget"/>), which it left when <paramref name="rerouted"/>.
    /// </summary>
    public void Changed(DateTimeOffset receivedAt, string from, string to, DateTimeOffset at, (string Target, string? Rule)? route, string? previousTarget,
        bool rerouted)
    {
        UnitOfWork.AfterCommit(() =>
        {
            if (route is { } decided && !rerouted)
            {
                _routed.Add(1, new("target", decided.Target), new("rule", decided.Rule ?? "inconnue"));
            }

            if (rerouted && route is { } moved)
            {
                _rerouted.Add(1, new("from_target", previousTarget ?? "aucune"), new("to_target", moved.Target));
            }

            if (from == to)
            {
                return;
            }

            _transitions.Add(1, new KeyValuePair<string, object?>("status", to));
            var step = to switch
            {
                HubStatuses.Routed or HubStatuses.Triage when from == HubStatuses.Received => "route",
                HubStatuses.Forwarded when from is HubStatuses.Routed or HubStatuses.Received or HubStatuses.Triage => "tool",
                HubStatuses.InProgress when from == HubStatuses.Forwarded => "first-response",
                HubStatuses.Resolved => "resolve",
                HubStatuses.Closed => "close",
                _ => null,
            };
            if (step is not null)
            {
                var seconds = Math.Max(0, (at - receivedAt).TotalSeconds);
                _steps.Record(seconds, new("step", step), new("target", route?.Target ?? previousTarget ?? "aucune"));
            }
        });
    }

    /// <summary>A file a tool refused for good, recorded in the timeline.</summary>
    public void FileRefused(string tool) => UnitOfWork.AfterCommit(() => _refusedFiles.Add(1, new KeyValuePair<string, object?>("tool", tool)));

    /// <summary>A dead letter a service reported, recorded.</summary>
    public void DeadLettered(string service) => UnitOfWork.AfterCommit(() => _deadLetters.Add(1, new KeyValuePair<string, object?>("service", service)));

    /// <summary>The open tickets by status, as <see cref="OpenTicketsSampler"/> last read them.</summary>
    public void SampledOpen(IReadOnlyList<(string Status, long Count)> open) => _open = open;
}

/// <summary>Reads the open tickets by status every minute, for the <c>tickethub.tickets.open</c> gauge.</summary>
public sealed class OpenTicketsSampler(IDbConnectionFactory connections, TicketMetrics metrics, ILogger<OpenTicketsSampler> logger) : PeriodicWork(logger)
{
    private const string CountSql = "SELECT status AS Status, COUNT(*) AS Count FROM tickets WHERE status NOT IN ('resolved', 'closed') GROUP BY status";

    protected override TimeSpan Interval => TimeSpan.FromMinutes(1);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Status, long Count)>(new CommandDefinition(CountSql, cancellationToken: cancellationToken));
        metrics.SampledOpen([.. rows]);
    }
}
