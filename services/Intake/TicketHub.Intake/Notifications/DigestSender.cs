using Dapper;
using Microsoft.Extensions.Options;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Hosting;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Intake.Notifications;

/// <summary>
/// The daily digest (issue 15): every minute, once <see cref="NotificationOptions.DigestAt"/> has
/// passed, the events kept for each person who chose it leave as one mail listing them by ticket, and
/// are removed in the same unit of work. Two replicas cannot both send one person's digest: the lines
/// are removed before the mail is written, and a replica that removes none writes none.
/// </summary>
public sealed partial class DigestSender(
    UnitOfWork units,
    IOutbox outbox,
    NotificationLinks links,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<DigestSender> logger) : PeriodicWork(logger)
{
    private const string SelectDueSql = "SELECT seq, email, name, ticket_id, reference, title, line FROM notification_digest WHERE at < @Cutoff ORDER BY email, seq";

    private const string DeleteSql = "DELETE FROM notification_digest WHERE email = @Email AND seq <= @Last AND at < @Cutoff";

    protected override TimeSpan Interval => TimeSpan.FromMinutes(1);

    protected override bool Enabled => options.Value.Enabled;

    protected override bool RunsAtStart => false;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => SendDueAsync(clock.GetUtcNow(), cancellationToken);

    /// <summary>Writes the digests due at <paramref name="now"/>: every line kept before the last <see cref="NotificationOptions.DigestAt"/>.</summary>
    /// <returns>How many digests were written.</returns>
    public Task<int> SendDueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        units.RunAsync(async () =>
        {
            var cutoff = LastDigestTime(now);
            var lines = (await UnitOfWork.Connection.QueryAsync<DigestLine>(new CommandDefinition(SelectDueSql, new { Cutoff = cutoff }, UnitOfWork.Current,
                cancellationToken: cancellationToken))).AsList();
            var sent = 0;
            foreach (var person in lines.GroupBy(l => l.Email))
            {
                var removed = await UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(DeleteSql,
                    new { Email = person.Key, Last = person.Max(l => l.Seq), Cutoff = cutoff }, UnitOfWork.Current, cancellationToken: cancellationToken));
                if (removed == 0)
                {
                    continue;
                }

                var tickets = person.GroupBy(l => (l.TicketId, l.Reference, l.Title))
                    .Select(t => (t.Key.Reference, t.Key.Title, links.TicketUrl(t.Key.TicketId), (IReadOnlyList<string>)t.Select(l => l.Line).ToList()))
                    .ToList();
                var words = NotificationText.Digest(person.Last().Name, tickets, links.PreferencesUrl(person.Key));
                await outbox.EnqueueAsync(new NotificationMailRequested(Guid.CreateVersion7(), Guid.Empty, "", NotificationKinds.Digest, person.Key, person.Last().Name,
                    words.Subject, words.Text, words.Html, "", links.UnsubscribeUrl(person.Key)), cancellationToken);
                sent++;
            }

            if (sent > 0)
            {
                LogSent(sent);
            }

            return sent;
        }, cancellationToken);

    /// <summary>The last digest time at or before <paramref name="now"/>, in the configured time zone.</summary>
    private DateTimeOffset LastDigestTime(DateTimeOffset now)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        if (TimeOnly.FromDateTime(local.DateTime) < options.Value.DigestAt)
        {
            day = day.AddDays(-1);
        }

        var at = day.ToDateTime(options.Value.DigestAt);
        return new DateTimeOffset(at, zone.GetUtcOffset(at));
    }

    private sealed class DigestLine
    {
        public long Seq { get; init; }
        public string Email { get; init; } = "";
        public string Name { get; init; } = "";
        public Guid TicketId { get; init; }
        public string Reference { get; init; } = "";
        public string Title { get; init; } = "";
        public string Line { get; init; } = "";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} daily digests written")]
    private partial void LogSent(int count);
}
