using System.Data.Common;
using System.Globalization;
using Refit;
using TicketHub.Connectors.Glpi.Glpi;
using TicketHub.Connectors.Glpi.Sync;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Connectors.Shared.Text;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Comments;

/// <summary>
/// Adds what the collège wrote to its GLPI ticket, as a public follow-up. Runs in the consumer's
/// inbox transaction, which also records the follow-up's id (<see cref="HubFollowups"/>): a
/// redelivered message, or the same comment sent again, posts nothing more, and the status sync
/// never reports the follow-up back as a reply.
/// </summary>
internal sealed partial class GlpiCommentWriter(IGlpiApi glpi, DeliveryLedger ledger, TimeProvider clock, ILogger<GlpiCommentWriter> logger)
{
    public async Task AddAsync(DbTransaction transaction, TicketCommentAdded comment, CancellationToken cancellationToken)
    {
        var ticket = await ledger.FindAsync(transaction, comment.TicketId, cancellationToken);
        if (ticket?.HeldId is not { } externalId || !int.TryParse(externalId, NumberStyles.None, CultureInfo.InvariantCulture, out var glpiId))
        {
            LogNotHeld(comment.Reference, comment.CommentId);
            return;
        }

        if (await HubFollowups.FindByCommentAsync(transaction, comment.CommentId, cancellationToken) is { } existing)
        {
            LogAlreadyPosted(comment.Reference, comment.CommentId, existing);
            return;
        }

        GlpiCreatedItem created;
        try
        {
            created = await glpi.AddFollowupAsync(glpiId, new GlpiInput<GlpiFollowupInput>(new GlpiFollowupInput
            {
                ItemId = glpiId,
                Content = Content(comment),
            }), cancellationToken);
        }
        catch (ApiException ex)
        {
            var error = GlpiError.From(ex.StatusCode, ex.Content);
            if (!error.IsRefusal)
            {
                throw new GlpiException($"GLPI could not add comment {comment.CommentId} to ticket {glpiId}: {error}", error, ex);
            }

            // A closed or deleted ticket, missing rights: sending it again will not help.
            LogRefused(comment.Reference, glpiId, error.ToString());
            return;
        }

        await HubFollowups.RecordAsync(transaction, created.Id, comment.TicketId, comment.CommentId, clock.GetUtcNow(), cancellationToken);
        LogPosted(comment.CommentId, comment.Reference, glpiId, created.Id);
    }

    /// <summary>"Message du collège (Claire Martin) :" then what the collège typed, its paragraphs kept, every character encoded (<see cref="ToolHtml"/>).</summary>
    public static string Content(TicketCommentAdded comment) =>
        $"<p><strong>Message du collège ({ToolHtml.Encode(comment.AuthorName.Trim())})</strong> :</p>{ToolHtml.FromPlainText(comment.Text)}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Comment {CommentId} of ticket {Reference} added to GLPI ticket {GlpiId} as follow-up {FollowupId}")]
    private partial void LogPosted(Guid commentId, string reference, int glpiId, int followupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Comment {CommentId} of ticket {Reference} is already follow-up {FollowupId} in GLPI; nothing to do")]
    private partial void LogAlreadyPosted(string reference, Guid commentId, int followupId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Comment {CommentId} of ticket {Reference} not sent: the hub holds no GLPI ticket for it")]
    private partial void LogNotHeld(string reference, Guid commentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GLPI refused comment of ticket {Reference} on its ticket {GlpiId}: {GlpiError}")]
    private partial void LogRefused(string reference, int glpiId, string glpiError);
}
