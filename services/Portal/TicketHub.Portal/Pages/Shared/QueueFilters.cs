using TicketHub.Portal.Services;

namespace TicketHub.Portal.Pages.Shared;

/// <summary>The filter form of a queue page (a GET form: the filters are in the address).</summary>
public sealed record QueueFilters(string Action, string? College, string? Ut, string? Status, IReadOnlyList<CollegeView> Colleges,
    bool ShowCollege = true, bool UtRequired = false);
