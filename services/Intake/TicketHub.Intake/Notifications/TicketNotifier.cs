using Dapper;
using Microsoft.Extensions.Options;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Intake.Notifications;

/// <summary>
/// Decides who is told of an event of a ticket and writes each person's mail
/// (<see cref="NotificationMailRequested"/>) in the unit of work of the event itself: the mail exists
/// if and only if the event does, once. The requester and the followers with an address, each once,
/// as each chose (<see cref="NotificationModes"/>); not an address the mail server refused for good.
/// Nothing at all while notifications are off (no SMTP server configured).
/// </summary>
public sealed class TicketNotifier(IOutbox outbox, NotificationLinks links, IOptions<NotificationOptions> options, TimeProvider clock)
{
    private const string SelectTicketSql = "SELECT reference, title, requester_name, requester_email FROM tickets WHERE id = @Id";

    private const string InsertDigestLineSql = """
        INSERT INTO notification_digest (email, name, ticket_id, reference, title, line, at)
        VALUES (@Email, @Name, @TicketId, @Reference, @Title, @Line, @At)
        """;

    private const string SelectFollowersSql = "SELECT name, email FROM ticket_followers WHERE ticket_id = @Id AND email IS NOT NULL ORDER BY followed_at";

    /// <param name="detail">What the event says (the route's explanation, the team's text, the kept ticket's reference…), or null.</param>
    public async Task NotifyAsync(Guid ticketId, string kind, string? detail, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var connection = UnitOfWork.Connection;
        var ticket = await connection.QuerySingleOrDefaultAsync<TicketRow>(new CommandDefinition(SelectTicketSql, new { Id = ticketId }, UnitOfWork.Current,
            cancellationToken: cancellationToken));
        if (ticket is null)
        {
            return;
        }

        var followers = await connection.QueryAsync<FollowerRow>(new CommandDefinition(SelectFollowersSql, new { Id = ticketId }, UnitOfWork.Current,
            cancellationToken: cancellationToken));
        var recipients = new[] { new Recipient(ticket.RequesterEmail, ticket.RequesterName, Follower: false) }
            .Concat(followers.Select(f => new Recipient(f.Email, f.Name, Follower: true)))
            .DistinctBy(r => NotificationPreferences.Normalise(r.Email))
            .ToList();
        var preferences = await NotificationPreferences.ReadAsync(recipients.Select(r => NotificationPreferences.Normalise(r.Email)).ToList(), cancellationToken);
        var thread = ThreadId(ticket.Reference);
        foreach (var recipient in recipients)
        {
            var preference = preferences.GetValueOrDefault(NotificationPreferences.Normalise(recipient.Email));
            if (preference?.BouncedAt is not null || !NotificationModes.Wants(preference?.Mode ?? NotificationModes.Immediate, kind))
            {
                continue;
            }

            if (preference?.Mode == NotificationModes.Digest)
            {
                await connection.ExecuteAsync(new CommandDefinition(InsertDigestLineSql, new
                {
                    Email = NotificationPreferences.Normalise(recipient.Email),
                    recipient.Name,
                    TicketId = ticketId,
                    ticket.Reference,
                    ticket.Title,
                    Line = NotificationText.Line(kind, ticket.Reference, detail),
                    At = clock.GetUtcNow(),
                }, UnitOfWork.Current, cancellationToken: cancellationToken));
                continue;
            }

            var words = NotificationText.Render(kind, ticket.Reference, ticket.Title, recipient.Name, detail, recipient.Follower,
                links.TicketUrl(ticketId), links.PreferencesUrl(recipient.Email));
            await outbox.EnqueueAsync(new NotificationMailRequested(Guid.CreateVersion7(), ticketId, ticket.Reference, kind, recipient.Email, recipient.Name,
                words.Subject, words.Text, words.Html, thread, links.UnsubscribeUrl(recipient.Email), links.ReplyAddress(ticketId, recipient.Email)), cancellationToken);
        }
    }

    /// <summary>The Message-ID that heads a ticket's thread: every mail about the ticket answers it.</summary>
    public string ThreadId(string reference) => $"{reference}@{options.Value.MessageIdDomain}";

    private sealed record Recipient(string Email, string Name, bool Follower);

    private sealed class TicketRow
    {
        public string Reference { get; init; } = "";
        public string Title { get; init; } = "";
        public string RequesterName { get; init; } = "";
        public string RequesterEmail { get; init; } = "";
    }

    private sealed class FollowerRow
    {
        public string Name { get; init; } = "";
        public string Email { get; init; } = "";
    }
}
