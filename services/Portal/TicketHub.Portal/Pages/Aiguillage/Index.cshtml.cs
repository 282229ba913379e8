using Microsoft.AspNetCore.Mvc;
using TicketHub.Contracts;
using TicketHub.Portal.Display;
using TicketHub.Portal.Pages.Shared;
using TicketHub.Portal.Services;

namespace TicketHub.Portal.Pages.Aiguillage;

/// <summary>
/// The Pôle TIE's desk: tickets the rules could not place, oldest first, each with the form that
/// sends it where it belongs and says why (kept in the ticket's history).
/// </summary>
public sealed class IndexModel(IntakeClient intake) : PortalPageModel
{
    public const int ReasonMaxLength = 1_000;

    /// <summary>Destinations a dispatcher can choose (not triage itself).</summary>
    public static IReadOnlyList<string> Targets { get; } =
        [RouteTargets.Infogerant, RouteTargets.Pass, RouteTargets.Omere, RouteTargets.Region, RouteTargets.EntAssistance];

    public IReadOnlyList<TriageItem> Items { get; private set; } = [];

    public string? Problem { get; private set; }

    public FormErrors Errors { get; } = new();

    /// <summary>The refused form, to show it again with what was typed.</summary>
    public RerouteForm? Refused { get; private set; }

    /// <summary>The reference just re-routed (PRG); anything but a reference is ignored (<see cref="Notices"/>).</summary>
    [BindProperty(SupportsGet = true, Name = "reoriente")]
    public string? DoneReference { get; set; }

    public string? Done => Notices.Reference(DoneReference);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostReorienterAsync(RerouteForm form, CancellationToken cancellationToken)
    {
        Refused = form;
        var key = $"reroute-{form.TicketId}";
        var target = form.Target?.Trim();
        var tool = string.IsNullOrWhiteSpace(form.Tool) ? null : form.Tool.Trim();
        var queue = string.IsNullOrWhiteSpace(form.Queue) ? null : form.Queue.Trim();
        var reason = form.Reason?.Trim();
        if (target is null || !Targets.Contains(target))
        {
            Errors.Add($"{key}-target", "Choisissez où envoyer la demande.");
        }

        if (target != RouteTargets.Infogerant)
        {
            tool = null;
        }
        else if (tool is not (null or ExternalTools.Glpi or ExternalTools.Itop))
        {
            Errors.Add($"{key}-tool", "Choisissez GLPI, iTop, ou l'outil habituel.");
        }

        if (queue is not null && !Labels.Uts.Contains(queue))
        {
            Errors.Add($"{key}-queue", "Choisissez une unité territoriale de la liste.");
        }

        if (string.IsNullOrEmpty(reason))
        {
            Errors.Add($"{key}-reason", "Indiquez pourquoi : la raison est gardée dans l'historique de la demande.");
        }
        else if (reason.Length > ReasonMaxLength)
        {
            Errors.Add($"{key}-reason", $"La raison compte {reason.Length} caractères : {ReasonMaxLength} au plus.");
        }

        if (!Errors.Any)
        {
            var result = await intake.RerouteAsync(form.TicketId, new RerouteSubmission(target!, tool, target == RouteTargets.Omere ? queue : null, reason!), cancellationToken);
            if (result.IsSuccess)
            {
                return Redirect(PageLinks.Of("/aiguillage", ("reoriente", result.Value!.Reference)));
            }

            if (result.Problem!.Status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
            {
                return Refusal(result.Problem)!;
            }

            foreach (var (field, messages) in result.Problem.Errors)
            {
                var id = field is "target" or "tool" or "queue" or "reason" ? $"{key}-{field}" : null;
                foreach (var message in messages)
                {
                    if (id is null)
                    {
                        Errors.AddGeneral(message);
                    }
                    else
                    {
                        Errors.Add(id, message);
                    }
                }
            }

            if (!Errors.Any)
            {
                Errors.AddGeneral(result.Problem.Message);
            }
        }

        ViewData["HasErrors"] = true;
        return await LoadAsync(cancellationToken) ?? Page();
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        var result = await intake.TriageAsync(100, cancellationToken);
        if (!result.IsSuccess && result.Problem!.Status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
        {
            return Refusal(result.Problem);
        }

        Items = result.Value ?? [];
        Problem = result.Problem?.Message;
        return null;
    }
}

/// <summary>One re-route form, as posted.</summary>
public sealed class RerouteForm
{
    public Guid TicketId { get; set; }

    public string? Target { get; set; }

    public string? Tool { get; set; }

    public string? Queue { get; set; }

    public string? Reason { get; set; }
}
