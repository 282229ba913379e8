using System.Data.Common;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Shared.Delivery;

/// <summary>How the ticket reached the tool, or why it did not.</summary>
internal abstract record DeliveryOutcome
{
    /// <summary>The tool holds the ticket (http), or its mailbox accepted it (email).</summary>
    /// <param name="ToolStatus">The tool's status at creation, when the tool said.</param>
    public sealed record Created(string ExternalId, string? Url, string? ToolStatus, DateTimeOffset? ToolUpdatedAt) : DeliveryOutcome;

    /// <summary>The tool refused the ticket: sending it again cannot succeed.</summary>
    public sealed record Refused(string Reason) : DeliveryOutcome;

    /// <summary>A person must enter the ticket: the request goes to the relay queue.</summary>
    public sealed record Relay(RelayItemRequested Request) : DeliveryOutcome;
}

/// <summary>
/// One of the delivery modes (<see cref="DeliveryModes"/>). A failure that may pass (timeout, server
/// error, throttling, SMTP 4xx) throws, so that the message is retried.
/// </summary>
internal interface ITicketDelivery
{
    /// <summary>Hands the ticket to the tool. <paramref name="attempt"/> says whether an earlier attempt may have succeeded.</summary>
    Task<DeliveryOutcome> DeliverAsync(TicketRouted routed, ForwardingAttempt attempt, CancellationToken cancellationToken);

    /// <summary>Adds the collège's comment to the tool's ticket <paramref name="externalId"/>, within <paramref name="transaction"/> (the inbox's).</summary>
    Task AddCommentAsync(DbTransaction transaction, TicketCommentAdded comment, string externalId, CancellationToken cancellationToken);

    /// <summary>Tells the tool's ticket <paramref name="externalId"/> that the hub sent the request elsewhere.</summary>
    Task NotifyMovedAsync(DbTransaction transaction, TicketRerouted rerouted, string externalId, CancellationToken cancellationToken);
}
