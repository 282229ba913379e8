namespace TicketHub.Contracts;

/// <summary>
/// One e-mail to one person about one event of a ticket (issue 15), decided and written by intake in
/// the unit of work of the event itself (so never twice for one event, never for one that did not
/// happen), sent by intake's mail consumer through the SMTP server: at least once, retried, then a
/// dead letter like any other message.
/// </summary>
/// <param name="NotificationId">Stable: the mail's Message-ID, so that a copy sent again after an uncertain send is one mail to the reader.</param>
/// <param name="Kind">What happened (<c>received</c>, <c>forwarded</c>, <c>reply</c>, <c>waiting</c>, <c>resolved</c>, <c>closed</c>, <c>rerouted</c>, <c>duplicate</c>, <c>attachment-refused</c>).</param>
/// <param name="ThreadId">The Message-ID of the ticket's thread (its first mail), for In-Reply-To and References.</param>
/// <param name="UnsubscribeUrl">The signed one-click link (RFC 8058) that stops this person's mail, or null when none is configured.</param>
/// <param name="ReplyTo">The signed address a reply goes to (it becomes the person's comment on the ticket), or null.</param>
/// <param name="InReplyTo">The Message-ID this mail answers when it is not the ticket's thread (a refused reply), or null.</param>
public sealed record NotificationMailRequested(
    Guid NotificationId,
    Guid TicketId,
    string Reference,
    string Kind,
    string To,
    string? ToName,
    string Subject,
    string Text,
    string Html,
    string ThreadId,
    string? UnsubscribeUrl,
    string? ReplyTo = null,
    string? InReplyTo = null);
