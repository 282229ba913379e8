namespace TicketHub.Contracts;

/// <summary>
/// Published by a connector whose tool is in <c>manual</c> delivery mode (PASS, Omère): a person must
/// copy something into the tool by hand. Intake keeps the relay queue (<c>/api/v1/relay</c>) that the
/// tool's operators work from.
/// </summary>
/// <param name="ItemId">Stable id of the item: the same request published twice is one item.</param>
/// <param name="Tool">One of <see cref="ExternalTools"/>.</param>
/// <param name="Kind">One of <see cref="RelayItemKinds"/>.</param>
/// <param name="Queue">The queue inside the tool (Omère: the collège's UT), or null.</param>
/// <param name="Subject">A one-line summary, starting with the hub reference in brackets.</param>
/// <param name="Body">The text to enter in the tool, in French, plain text.</param>
/// <param name="ExternalId">For a comment, the tool's number of the ticket it belongs to; otherwise null.</param>
public sealed record RelayItemRequested(
    Guid ItemId,
    Guid TicketId,
    string Reference,
    string Tool,
    string Kind,
    string? Queue,
    string Subject,
    string Body,
    string? ExternalId,
    DateTimeOffset RequestedAt);

/// <summary>
/// Published by intake when an operator confirms a relay item: a ticket entered in the tool (with
/// the number the tool gave it), or a comment copied onto the tool's ticket.
/// </summary>
/// <param name="ExternalId">The tool's number of the ticket (required for <see cref="RelayItemKinds.Ticket"/>).</param>
/// <param name="AcknowledgedBy">Who confirmed it.</param>
public sealed record RelayItemAcknowledged(
    Guid ItemId,
    Guid TicketId,
    string Reference,
    string Tool,
    string Kind,
    string? ExternalId,
    string AcknowledgedBy,
    DateTimeOffset AcknowledgedAt);

/// <summary>What a relay item asks the operator to do.</summary>
public static class RelayItemKinds
{
    /// <summary>Create the ticket in the tool and record its number.</summary>
    public const string Ticket = "ticket";

    /// <summary>Add the collège's comment to the tool's ticket.</summary>
    public const string Comment = "comment";
}
