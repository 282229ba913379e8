using Microsoft.AspNetCore.Mvc;
using TicketHub.Contracts;
using TicketHub.Portal.Pages.Shared;
using TicketHub.Portal.Security;
using TicketHub.Portal.Services;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Portal.Pages.Demandes;

/// <summary>
/// One ticket: its reference at once, then where it went and why, what the collège must do for
/// ENT and Région cases, the DAT warning, the timeline, the attachments and a box to add information.
/// Intake decides who may read it; its refusal becomes the 403 page, which says nothing of the ticket.
/// </summary>
public sealed class DetailsModel(IntakeClient intake) : PortalPageModel
{
    public const int CommentMaxLength = 5_000;

    public TicketView Ticket { get; private set; } = null!;

    public FormErrors Errors { get; } = new();

    [BindProperty]
    public string? Comment { get; set; }

    /// <summary>Set after a comment was sent (PRG): « Votre message a été ajouté ».</summary>
    [BindProperty(SupportsGet = true, Name = "message")]
    public string? Message { get; set; }

    /// <summary>The route is not known yet: the page refreshes itself every few seconds, without script.</summary>
    public bool WaitingForRoute => Ticket.Route is null && Ticket.Status is "received";

    public bool HasDatWarning => Ticket.Flags?.Contains(RouteFlags.DatAmiante, StringComparer.Ordinal) == true;

    /// <summary>ENT or Région: no ticket is made elsewhere; the collège must contact them itself.</summary>
    public bool NeedsContact => Ticket.Route?.Target is RouteTargets.EntAssistance or RouteTargets.Region;

    /// <summary>A collège user, the dispatcher and the administrators add information (not on a closed ticket).</summary>
    public bool CanComment =>
        CurrentUser.Role is HubRoles.College or HubRoles.Dispatcher or HubRoles.Admin && Ticket.Status != HubStatuses.Closed;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostCommentaireAsync(string id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var text = Comment?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            Errors.Add("comment", "Écrivez le message à transmettre.");
        }
        else if (text.Length > CommentMaxLength)
        {
            Errors.Add("comment", $"Votre message compte {text.Length} caractères : {CommentMaxLength} au plus.");
        }
        else
        {
            var result = await intake.AddCommentAsync(Ticket.Id, text, cancellationToken);
            if (result.IsSuccess)
            {
                return Redirect($"/demandes/{Ticket.Id}?message=ajoute#echanges");
            }

            if (result.Problem!.Status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound)
            {
                return Refusal(result.Problem)!;
            }

            Errors.Add("comment", result.Problem.Errors.GetValueOrDefault("text")?.FirstOrDefault() ?? result.Problem.Message);
        }

        ViewData["HasErrors"] = true;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var result = await intake.GetTicketAsync(id, cancellationToken);
        if (!result.IsSuccess)
        {
            return Refusal(result.Problem!) ?? StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        Ticket = result.Value!;
        return null;
    }

    /// <summary>Whether the user may see the queue page of the ticket's route (for a link back).</summary>
    public string? QueuePage => Ticket.Route?.Target switch
    {
        RouteTargets.Infogerant when CurrentUser.Allows(PortalAuthorization.InfogerantQueue) => "/infogerant",
        RouteTargets.Pass when CurrentUser.Allows(PortalAuthorization.RectoratQueue) => "/rectorat",
        RouteTargets.Omere when CurrentUser.Allows(PortalAuthorization.OmereQueue) => "/omere",
        RouteTargets.Triage when CurrentUser.Allows(PortalAuthorization.Triage) => "/aiguillage",
        _ => null,
    };
}
