using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TicketHub.Contracts;
using TicketHub.Portal.Display;
using TicketHub.Portal.Pages.Shared;
using TicketHub.Portal.Security;
using TicketHub.Portal.Services;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Portal.Pages.Demandes;

/// <summary>
/// One ticket: its reference at once, then where it went and why, what the collège must do for
/// ENT and Région cases, the DAT warning, the timeline, the attachments, a box to add information
/// and, for the operator of PASS or Omère, the form that reports what happened in the tool.
/// Intake decides who may read it; its refusal becomes the 403 page, which says nothing of the ticket.
/// </summary>
public sealed class DetailsModel(IntakeClient intake, IOptions<PortalOptions> options) : PortalPageModel
{
    public const int CommentMaxLength = 5_000;

    public TicketView Ticket { get; private set; } = null!;

    public FormErrors Errors { get; } = new();

    [BindProperty]
    public string? Comment { get; set; }

    /// <summary>Files sent with the information (a photo of the fault, a document asked for).</summary>
    [BindProperty(Name = "comment-attachments")]
    public List<IFormFile> CommentAttachments { get; set; } = [];

    public PortalOptions Limits => options.Value;

    /// <summary>« Signaler l'avancement dans PASS/Omère » (<see cref="OnPostAvancementAsync"/>).</summary>
    [BindProperty]
    public OperatorReportInput Report { get; set; } = new();

    public FormErrors ReportErrors { get; } = new();

    /// <summary>Set after a comment was sent or a report made (PRG): <c>ajoute</c> or <c>signale</c>.</summary>
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

    /// <summary>
    /// The tool whose progress this user reports for this ticket (<c>pass</c> or <c>omere</c>), or null:
    /// the Rectorat for PASS tickets, the building service for Omère tickets, an administrator for
    /// either. Offered whatever the tool's delivery mode, which the portal does not know: in http
    /// mode the hub reads the tool itself, and the form says this is for when it cannot.
    /// </summary>
    public string? ReportTool => Ticket.Route?.Target switch
    {
        RouteTargets.Pass when CurrentUser.Role is HubRoles.Rectorat or HubRoles.Admin => ExternalTools.Pass,
        RouteTargets.Omere when CurrentUser.Role is HubRoles.Omere or HubRoles.Admin => ExternalTools.Omere,
        _ => null,
    };

    /// <summary>« Doublon d'une autre demande » (<see cref="OnPostDoublonAsync"/>): the reference of the ticket kept.</summary>
    [BindProperty]
    public string? DuplicateOf { get; set; }

    public FormErrors DuplicateErrors { get; } = new();

    /// <summary>The Pôle TIE and the teams close a duplicate of an open ticket (intake checks both are in their scope).</summary>
    public bool CanLinkDuplicate =>
        CurrentUser.Role is HubRoles.Infogerant or HubRoles.Rectorat or HubRoles.Omere or HubRoles.Dispatcher or HubRoles.Admin
        && HubStatuses.IsOpen(Ticket.Status) && Ticket.DuplicateOf is null;

    public OperatorReportForm? ReportForm => ReportTool is { } tool
        ? new OperatorReportForm(Ticket, tool, Report, ReportErrors, QueuePage)
        : null;

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

        var files = Uploads.Check(CommentAttachments, Limits, Errors, "comment-attachments");
        if (!Errors.Any)
        {
            var result = await intake.AddCommentAsync(Ticket.Id, text!, files, cancellationToken);
            if (result.IsSuccess)
            {
                return Redirect($"/demandes/{Ticket.Id}?message=ajoute#echanges");
            }

            if (result.Problem!.Status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound)
            {
                return Refusal(result.Problem)!;
            }

            var fileRefusal = Uploads.Refusal(result.Problem);
            if (fileRefusal is not null || result.Problem.Status == StatusCodes.Status413PayloadTooLarge)
            {
                Errors.Add("comment-attachments", fileRefusal ?? result.Problem.Message);
            }
            else
            {
                Errors.Add("comment", result.Problem.Errors.GetValueOrDefault("text")?.FirstOrDefault() ?? result.Problem.Message);
            }
        }

        if (CommentAttachments.Any(f => f.Length > 0 || !string.IsNullOrEmpty(f.FileName)))
        {
            Errors.AddGeneral("Pour des raisons de sécurité, les pièces jointes doivent être choisies à nouveau.");
        }

        ViewData["HasErrors"] = true;
        return Page();
    }

    public async Task<IActionResult> OnPostAvancementAsync(string id, CancellationToken cancellationToken)
    {
        // Other roles are refused before anything is asked of intake.
        if (CurrentUser.Role is not (HubRoles.Rectorat or HubRoles.Omere or HubRoles.Admin))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (await LoadAsync(id, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        if (ReportTool is not { } tool)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (Report.Validate(Labels.Tool(tool), ReportErrors) is { } update)
        {
            var result = await intake.ReportExternalUpdateAsync(Ticket.Id, update, cancellationToken);
            if (result.IsSuccess)
            {
                return Redirect($"/demandes/{Ticket.Id}?message=signale#echanges");
            }

            if (Refusal(result.Problem!) is { } refused)
            {
                return refused;
            }

            OperatorReportInput.AddProblem(result.Problem!, ReportErrors);
        }

        ViewData["HasErrors"] = true;
        return Page();
    }

    /// <summary>Closes this ticket as a duplicate of the one named: its requester then follows that one.</summary>
    public async Task<IActionResult> OnPostDoublonAsync(string id, CancellationToken cancellationToken)
    {
        if (CurrentUser.IsCollege)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (await LoadAsync(id, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var kept = DuplicateOf?.Trim();
        if (string.IsNullOrEmpty(kept))
        {
            DuplicateErrors.Add("duplicate-of", "Indiquez la référence de la demande gardée, par exemple TH-2026-000123.");
        }
        else
        {
            var result = await intake.CloseAsDuplicateAsync(Ticket.Id, kept, cancellationToken);
            if (result.IsSuccess)
            {
                return Redirect($"/demandes/{Ticket.Id}?message=doublon");
            }

            if (Refusal(result.Problem!) is { } refused)
            {
                return refused;
            }

            DuplicateErrors.Add("duplicate-of", result.Problem!.Errors.GetValueOrDefault("ticket")?.FirstOrDefault() ?? result.Problem.Message);
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
