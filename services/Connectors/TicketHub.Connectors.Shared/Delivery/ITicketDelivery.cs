using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Shared.Delivery;

/// <summary>How the ticket reached the tool, or why it did not.</summary>
public abstract record DeliveryOutcome
{
    private DeliveryOutcome()
    {
    }

    /// <summary>The tool holds the ticket (http), or its mailbox accepted it (email).</summary>
    /// <param name="ToolStatus">The tool's status at creation, when the tool said; null when the ticket was found rather than created.</param>
    /// <param name="ToolUpdatedAt">When the tool last changed it, when the tool said.</param>
    public sealed record Created(string ExternalId, string? Url, string? ToolStatus, DateTimeOffset? ToolUpdatedAt) : DeliveryOutcome
    {
        /// <summary>The tool's own mark of the ticket's last change, as the tool writes it (iTop's <c>last_update</c>).</summary>
        public string? ToolVersion { get; init; }

        /// <summary>What kind of ticket the tool holds it as, when the tool has several (iTop: <c>Incident</c> or <c>UserRequest</c>).</summary>
        public string? ToolClass { get; init; }

        /// <summary>
        /// Set when the ticket was found in the tool, made by an earlier attempt that died before
        /// recording it: that attempt's first time. A technician may have changed it since, before the
        /// sync's cursor: the sync reads it again from then.
        /// </summary>
        public DateTimeOffset? FoundAfter { get; init; }
    }

    /// <summary>The tool refused the ticket: sending it again cannot succeed.</summary>
    public sealed record Refused(string Reason) : DeliveryOutcome;

    /// <summary>A person must enter the ticket: the request goes to the relay queue.</summary>
    public sealed record Relay(RelayItemRequested Request) : DeliveryOutcome;
}

/// <summary>
/// What a tool (GLPI, iTop) or a delivery mode of a tool without an API (<see cref="DeliveryModes"/>:
/// http, e-mail, manual) does for the shared pipeline (<c>ToolForwarder</c>, the shared consumers),
/// which holds the ledger protocol: commit the intent, hand over, commit the outcome with its event,
/// reclaim, add the files and the hub's notes (<see cref="HubNote"/>), once each. A failure that may
/// pass (timeout, server error, throttling, SMTP 4xx) throws, so that the message is retried; a
/// refusal is an outcome.
/// </summary>
public interface ITicketDelivery
{
    /// <summary>
    /// Hands the ticket to the tool. When <paramref name="attempt"/> says an earlier attempt may have
    /// succeeded, the tool's ticket for the reference is looked up first: an answer that cannot be
    /// read throws (retry), it is never "not found" (which would create a second ticket).
    /// </summary>
    Task<DeliveryOutcome> DeliverAsync(TicketRouted routed, ForwardingAttempt attempt, CancellationToken cancellationToken);

    /// <summary>Adds the collège's comment to the tool's ticket <paramref name="externalId"/>, in the unit of work in progress (the inbox's).</summary>
    Task AddCommentAsync(TicketCommentAdded comment, string externalId, CancellationToken cancellationToken);

    /// <summary>
    /// Adds the hub's <paramref name="note"/> to the tool's ticket <paramref name="externalId"/>, in the
    /// unit of work in progress (the inbox's, or the reclaim's), so that the tool's sync never brings it
    /// back as a reply. A ticket the tool deleted meanwhile is logged and the note dropped when the note
    /// allows it (<see cref="HubNote.MayFindTicketGone"/>), else the failure throws like any other.
    /// </summary>
    Task AddNoteAsync(HubNote note, string externalId, CancellationToken cancellationToken);

    /// <summary>
    /// Solves the tool's ticket <paramref name="externalId"/> of hub ticket <paramref name="ticketId"/>
    /// with <paramref name="solution"/> (plain text), when the connector's configuration asks it
    /// (<c>{Section}:CloseDuplicates</c>, ADR 19). A refusal (already solved or closed, a transition the
    /// tool does not allow there, the ticket gone) is logged and the ticket left as it is: sending it
    /// again would not help. A failure that may pass throws.
    /// </summary>
    /// <exception cref="NotSupportedException">
    /// The hub's contract, e-mail and the relay queue have no way to close a tool's ticket: the
    /// connectors of tools without an API refuse to start with <c>CloseDuplicates</c>.
    /// </exception>
    Task SolveAsync(Guid ticketId, string reference, string externalId, string solution, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This delivery mode cannot close a tool's ticket: the hub's note asks the tool's team to.");

    /// <summary>
    /// Held by the pipeline around every transaction in which the hub writes to the tool's ticket
    /// (comment, notes, solution), until it commits. A tool whose sync must never see the hub's own
    /// entry before the record that it is the hub's (iTop's public log) orders them with it; none by default.
    /// </summary>
    ValueTask<IDisposable?> HoldWritesAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IDisposable?>(null);
}

/// <summary>Where a tool's sync starts following a ticket, written in the transaction that records it created.</summary>
public interface ISyncStart
{
    Task StartAsync(Guid ticketId, DeliveryOutcome.Created created, CancellationToken cancellationToken);
}
