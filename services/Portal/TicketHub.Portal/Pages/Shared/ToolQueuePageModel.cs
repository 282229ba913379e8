using Microsoft.AspNetCore.Mvc;
using TicketHub.Portal.Display;
using TicketHub.Portal.Services;

namespace TicketHub.Portal.Pages.Shared;

/// <summary>
/// A queue of a tool without an API (PASS, Omère): the tickets routed there, and the manual relay
/// queue, each item with the form that confirms it was entered in the tool (and the tool's number).
/// </summary>
public abstract class ToolQueuePageModel(IntakeClient intake) : PortalPageModel
{
    public const int ExternalIdMaxLength = 64;

    /// <summary><c>pass</c> or <c>omere</c>: the relay's tool and the tickets' route target.</summary>
    protected abstract string Tool { get; }

    /// <summary>This page's address.</summary>
    public abstract string Path { get; }

    public abstract string Caption { get; }

    [BindProperty(SupportsGet = true, Name = "ut")]
    public string? Ut { get; set; }

    [BindProperty(SupportsGet = true, Name = "statut")]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "apres")]
    public string? After { get; set; }

    /// <summary>Set after a confirmation (PRG): the reference confirmed; anything but a reference is ignored (<see cref="Notices"/>).</summary>
    [BindProperty(SupportsGet = true, Name = "confirme")]
    public string? ConfirmedReference { get; set; }

    public string? Confirmed => Notices.Reference(ConfirmedReference);

    public IReadOnlyList<RelayItem> Relay { get; private set; } = [];

    public string? RelayProblem { get; private set; }

    public TicketTable Table { get; private set; } = null!;

    public string? Problem { get; private set; }

    /// <summary>Errors of the confirmation forms, keyed <c>relay-{itemId}</c>.</summary>
    public FormErrors Errors { get; } = new();

    /// <summary>The number typed in a refused confirmation, to show it again.</summary>
    public Dictionary<Guid, string?> Typed { get; } = [];

    /// <summary>Whether to filter the relay queue by UT (Omère's queues are the UTs).</summary>
    protected virtual bool RelayByUt => false;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostConfirmerAsync(Guid itemId, string? externalId, CancellationToken cancellationToken)
    {
        var number = string.IsNullOrWhiteSpace(externalId) ? null : externalId.Trim();
        Typed[itemId] = number;
        var key = $"relay-{itemId}";
        var item = await intake.AcknowledgeRelayAsync(itemId, number, cancellationToken);
        if (item.IsSuccess)
        {
            return Redirect(PageLinks.Of(Path, ("ut", Ut), ("confirme", item.Value!.Reference)));
        }

        if (item.Problem!.Status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
        {
            return Refusal(item.Problem)!;
        }

        Errors.Add(key, item.Problem.Errors.GetValueOrDefault("externalId")?.FirstOrDefault() ?? item.Problem.Message);
        ViewData["HasErrors"] = true;
        return await LoadAsync(cancellationToken) ?? Page();
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        Status = Labels.Statuses.Contains(Status) ? Status : null;
        Ut = Labels.Uts.Contains(Ut) ? Ut : null;
        var relay = await intake.RelayAsync(Tool, RelayByUt ? Ut : null, null, cancellationToken);
        if (!relay.IsSuccess && relay.Problem!.Status is StatusCodes.Status401Unauthorized)
        {
            return Refusal(relay.Problem);
        }

        Relay = relay.Value?.Items ?? [];
        RelayProblem = relay.Problem?.Status == StatusCodes.Status403Forbidden ? null : relay.Problem?.Message;

        var tickets = await intake.ListTicketsAsync(new TicketQuery(Status, Target: Tool, Ut: Ut, Limit: 50, After: After), cancellationToken);
        if (!tickets.IsSuccess && tickets.Problem!.Status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
        {
            return Refusal(tickets.Problem);
        }

        Problem = tickets.Problem?.Message;
        Table = new TicketTable(Caption, tickets.Value?.Items ?? [],
            tickets.Value?.Next is { } next ? PageLinks.Of(Path, ("ut", Ut), ("statut", Status), ("apres", next)) : null,
            After is null ? null : PageLinks.Of(Path, ("ut", Ut), ("statut", Status)),
            ShowRoute: false);
        return null;
    }
}
