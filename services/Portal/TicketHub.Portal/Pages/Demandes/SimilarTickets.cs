using TicketHub.Portal.Services;

namespace TicketHub.Portal.Pages.Demandes;

/// <summary>
/// The collège's open tickets that read like the request being written (issue 16), as the form shows
/// them: once at the top of the page after « Envoyer » (<see cref="Live"/> false), or under the
/// description while it is typed, with JavaScript (<see cref="Live"/> true). Each can be followed.
/// </summary>
public sealed record SimilarTickets(IReadOnlyList<SimilarTicket> Tickets, bool Live);
