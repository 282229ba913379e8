using Microsoft.AspNetCore.Mvc;
using TicketHub.Contracts;
using TicketHub.Portal.Display;
using TicketHub.Portal.Pages.Shared;
using TicketHub.Portal.Services;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Portal.Pages.Demandes;

/// <summary>
/// « Mes demandes » for a collège (intake lists only its own), and for the other roles the tickets
/// their role works: the infogérant's, the Rectorat's, Omère's, or all of them.
/// </summary>
public sealed class IndexModel(IntakeClient intake) : PortalPageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "statut")]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "apres")]
    public string? After { get; set; }

    public TicketTable Table { get; private set; } = null!;

    public string? Problem { get; private set; }

    public string Heading => CurrentUser.Role switch
    {
        HubRoles.College => "Mes demandes",
        HubRoles.Infogerant => "Demandes transmises à l'infogérant",
        HubRoles.Rectorat => "Demandes transmises au Rectorat",
        HubRoles.Omere => "Demandes transmises au service des bâtiments",
        _ => "Toutes les demandes",
    };

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Status = Labels.Statuses.Contains(Status) ? Status : null;
        var target = CurrentUser.Role switch
        {
            HubRoles.Infogerant => RouteTargets.Infogerant,
            HubRoles.Rectorat => RouteTargets.Pass,
            HubRoles.Omere => RouteTargets.Omere,
            _ => null,
        };
        var result = await intake.ListTicketsAsync(
            new TicketQuery(Status: Status, CollegeUai: CurrentUser.Uai, Target: target, Limit: PageSize, After: After), cancellationToken);
        if (!result.IsSuccess && Refusal(result.Problem!) is { } refusal && result.Problem!.Status != StatusCodes.Status404NotFound)
        {
            return refusal;
        }

        Problem = result.Problem?.Message;
        var page = result.Value;
        var caption = Status is null ? Heading : $"{Heading} – {Labels.Status(Status)}";
        Table = new TicketTable(caption, page?.Items ?? [],
            page?.Next is { } next ? PageLinks.Of("/demandes", ("statut", Status), ("apres", next)) : null,
            After is null ? null : PageLinks.Of("/demandes", ("statut", Status)),
            ShowCollege: !CurrentUser.IsCollege,
            Empty: CurrentUser.IsCollege && Status is null ? "Votre collège n'a encore fait aucune demande." : null);
        return Page();
    }
}
