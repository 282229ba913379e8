using Refit;
using TicketHub.Connectors.Shared.Api;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Connectors.Shared.Sync;
using TicketHub.Connectors.Shared.Tool;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Connectors.Shared.Delivery;

/// <summary>
/// The tool implements the hub's contract. After an uncertain earlier attempt the reference is
/// looked up before anything is created; the contract's own idempotency (one ticket per reference,
/// one message per hubMessageId) covers the remaining window.
/// </summary>
internal sealed partial class HttpDelivery(
    IToolApi api,
    TicketText text,
    KnownMessages known,
    ToolDescriptor tool,
    ILogger<HttpDelivery> logger) : ITicketDelivery
{
    public async Task<DeliveryOutcome> DeliverAsync(TicketRouted routed, ForwardingAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.IsRetry)
        {
            var page = await api.FindByReferenceAsync(routed.Reference, cancellationToken);
            var existing = page.Items?.Find(item => string.Equals(item.Reference, routed.Reference, StringComparison.Ordinal));
            if (existing is not null)
            {
                LogFoundFromEarlierAttempt(tool.DisplayName, routed.Reference, existing.Id);

                // Nothing of it seen yet: what a technician did before the hub recorded it (a status,
                // a reply) is still to report, which the sync's catch-up does (ToolSync).
                return new DeliveryOutcome.Created(existing.Id, existing.Url, null, null) { FoundAfter = attempt.FirstAttemptAt };
            }
        }

        try
        {
            var created = await api.CreateTicketAsync(text.Structured(routed), cancellationToken);
            LogCreated(tool.DisplayName, routed.Reference, created.Id);
            return new DeliveryOutcome.Created(created.Id, created.Url, created.Status, created.UpdatedAt);
        }
        catch (ApiException ex)
        {
            var error = ToolError.From(ex);
            if (!error.IsRefusal)
            {
                LogFailed(tool.DisplayName, routed.Reference, (int)error.Status, error.Detail);
                throw;
            }

            LogRefused(tool.DisplayName, routed.Reference, (int)error.Status, error.Detail);
            return new DeliveryOutcome.Refused($"{tool.DisplayName} a refusé le ticket (HTTP {(int)error.Status}) : {error.Detail}");
        }
    }

    public async Task AddCommentAsync(TicketCommentAdded comment, string externalId, CancellationToken cancellationToken)
    {
        var message = await api.AddMessageAsync(externalId, new ToolNewMessage(comment.CommentId, text.CommentMessage(comment), comment.AuthorName), cancellationToken);
        await known.RecordAsync(comment.TicketId, message.Id, KnownMessages.FromHub, cancellationToken);
    }

    /// <summary>A message of the hub (<c>hubMessageId</c>: the note's id), recorded as the hub's so that the sync never reports it back.</summary>
    public async Task AddNoteAsync(HubNote note, string externalId, CancellationToken cancellationToken)
    {
        var message = await api.AddMessageAsync(externalId, new ToolNewMessage(note.Id, note.Text, "TicketHub"), cancellationToken);
        await known.RecordAsync(note.TicketId, message.Id, KnownMessages.FromHub, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} was created in {Tool} as {ExternalId} by an earlier attempt; reusing it")]
    private partial void LogFoundFromEarlierAttempt(string tool, string reference, string externalId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} created in {Tool} as {ExternalId}")]
    private partial void LogCreated(string tool, string reference, string externalId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Tool} refused ticket {Reference}: HTTP {Status} {Detail}")]
    private partial void LogRefused(string tool, string reference, int status, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Tool} failed on ticket {Reference}, will retry: HTTP {Status} {Detail}")]
    private partial void LogFailed(string tool, string reference, int status, string detail);
}
