using Microsoft.AspNetCore.Mvc;
using TicketHub.Contracts;
using TicketHub.Portal.Display;
using TicketHub.Portal.Pages.Shared;
using TicketHub.Portal.Services;

namespace TicketHub.Portal.Pages.Infogerant;

/// <summary>The infogérant's queue: tickets routed to GLPI or iTop, by collège, UT and status, with their age and link.</summary>
public sealed class IndexModel(IntakeClient intake, ClassifierClient classifier) : PortalPageModel
{
    [BindProperty(SupportsGet = true, Name = "college")]
    public string? College { get; set; }

    [BindProperty(SupportsGet = true, Name = "ut")]
    public string? Ut { get; set; }

    [BindProperty(SupportsGet = true, Name = "statut")]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "apres")]
    public string? After { get; set; }

    public IReadOnlyList<CollegeView> Colleges { get; private set; } = [];

    public TicketTable Table { get; private set; } = null!;

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Status = Labels.Statuses.Contains(Status) ? Status : null;
        Ut = Labels.Uts.Contains(Ut) ? Ut : null;
        College = string.IsNullOrWhiteSpace(College) ? null : College.Trim().ToUpperInvariant();
        Colleges = (await classifier.CollegesAsync(cancellationToken)).Value?.OrderBy(c => c.Name, StringComparer.Create(FrenchFormat.French, true)).ToList() ?? [];

        var result = await intake.ListTicketsAsync(new TicketQuery(Status, College, RouteTargets.Infogerant, Ut: Ut, Limit: 50, After: After), cancellationToken);
        if (!result.IsSuccess && result.Problem!.Status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
        {
            return Refusal(result.Problem)!;
        }

        Problem = result.Problem?.Message;
        Table = new TicketTable("Demandes transmises à l'infogérant", result.Value?.Items ?? [],
            result.Value?.Next is { } next ? PageLinks.Of("/infogerant", ("college", College), ("ut", Ut), ("statut", Status), ("apres", next)) : null,
            After is null ? null : PageLinks.Of("/infogerant", ("college", College), ("ut", Ut), ("statut", Status)),
            ShowRoute: false);
        return Page();
    }
}
