using System.Data.Common;
using TicketHub.Connectors.Itop.Forwarding;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.PublicLog;

/// <summary>
/// Adds what a collège wrote in the hub to the public log of its iTop request, where the technician
/// reads it. The entry is recorded as the hub's, so the sync does not send it back as a reply.
/// </summary>
internal sealed partial class CommentForwarder(PublicLogWriter publicLog, DeliveryLedger ledger, ILogger<CommentForwarder> logger)
{
    /// <summary>Runs in the consumer's inbox transaction: the entry is written once per comment message.</summary>
    public async Task ForwardAsync(DbTransaction transaction, TicketCommentAdded comment, CancellationToken cancellationToken)
    {
        if (await ledger.HeldTicketAsync(transaction, comment.TicketId, cancellationToken) is not { } ticket)
        {
            LogNotFollowed(comment.Reference, comment.ExternalId);
            return;
        }

        await publicLog.WriteAsync(transaction, comment.TicketId, ticket, Text(comment), $"TicketHub {comment.Reference}", cancellationToken);
        LogForwarded(comment.Reference, ticket.ToString());
    }

    public static string Text(TicketCommentAdded comment) =>
        $"Message de {comment.AuthorName} (collège, via TicketHub) :\n{comment.Text.Trim()}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Comment on ticket {Reference} added to the public log of iTop ticket {ItopTicket}")]
    private partial void LogForwarded(string reference, string itopTicket);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Comment on ticket {Reference} not sent: the connector follows no iTop request for it (intake named {ExternalId})")]
    private partial void LogNotFollowed(string reference, string? externalId);
}
