using TicketHub.Portal.Services;

namespace TicketHub.Portal.Pages.Shared;

/// <summary>A list of tickets as a table, and the link to its next page.</summary>
/// <param name="Caption">The table's caption (what it lists).</param>
/// <param name="NextPage">The address of the next page, or null on the last page.</param>
/// <param name="FirstPage">The address of the first page when this is not it.</param>
public sealed record TicketTable(string Caption, IReadOnlyList<TicketSummary> Items, string? NextPage, string? FirstPage,
    bool ShowCollege = true, bool ShowRoute = true, string? Empty = null);
