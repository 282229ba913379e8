namespace TicketHub.Connectors.Shared.Delivery;

/// <summary>
/// A note of the hub to the tool's ticket (the request went elsewhere, came back, was closed as a
/// duplicate), in the same words for every tool and delivery mode: built by
/// <see cref="Forwarding.ToolNotes"/>, written by <see cref="ITicketDelivery.AddNoteAsync"/>.
/// </summary>
/// <param name="TicketId">The hub ticket the tool's ticket carries.</param>
/// <param name="Reference">Its reference (<c>TH-2026-000042</c>).</param>
/// <param name="Id">
/// The same for every delivery of the message that asks for the note: the tool's <c>hubMessageId</c>,
/// the e-mail's Message-Id, the relay item's id.
/// </param>
/// <param name="Subject">A few words naming the note: after the reference in an e-mail's or a relay item's subject.</param>
/// <param name="Ask">What the tool's team is asked to do with its ticket (« à clore »): a relay item's subject names it with the tool's number.</param>
/// <param name="Text">The note, plain text (GLPI and iTop show it as HTML).</param>
/// <param name="MayFindTicketGone">
/// The note only tells the tool's team that their ticket is no longer the hub's: when the tool
/// deleted the ticket meanwhile, that is logged and the note dropped instead of retried.
/// </param>
public sealed record HubNote(Guid TicketId, string Reference, Guid Id, string Subject, string Ask, string Text, bool MayFindTicketGone);
