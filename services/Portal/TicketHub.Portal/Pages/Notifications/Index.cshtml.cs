using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TicketHub.Portal.Services;

namespace TicketHub.Portal.Pages.Notifications;

/// <summary>
/// « Les courriels de TicketHub »: what an address receives, chosen from the signed link at the end
/// of every mail, without signing in (issue 15). A link that is not valid gets a 403 page that says so.
/// </summary>
public sealed class IndexModel(IntakeClient intake) : PageModel
{
    /// <summary>The choices, in the words the page shows.</summary>
    public static IReadOnlyList<(string Mode, string Label, string Hint)> Modes { get; } =
    [
        ("immediate", "Tout, au fur et à mesure", "Un courriel à chaque étape : enregistrée, transmise, réponse de l'équipe, résolue, close."),
        ("digest", "Un résumé par jour", "Un seul courriel en fin de journée, qui reprend ce qui s'est passé sur vos demandes."),
        ("needs-answer", "Seulement ce qui demande une réponse", "Quand l'équipe attend une information de votre part, et quand la demande est résolue."),
        ("none", "Rien", "Vous suivez vos demandes sur le portail."),
    ];

    [BindProperty(SupportsGet = true, Name = "adresse")]
    public string? Email { get; set; }

    [BindProperty(SupportsGet = true, Name = "jeton")]
    public string? Token { get; set; }

    [BindProperty]
    public string? Mode { get; set; }

    [BindProperty(SupportsGet = true, Name = "message")]
    public string? Message { get; set; }

    public NotificationPreference? Preference { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } refusal)
        {
            return refusal;
        }

        if (Modes.All(m => m.Mode != Mode))
        {
            Error = "Choisissez ce que vous souhaitez recevoir.";
            return Page();
        }

        var result = await intake.ChooseNotificationsAsync(Email!, Token!, Mode!, cancellationToken);
        if (!result.IsSuccess)
        {
            Error = result.Problem!.Message;
            return Page();
        }

        return Redirect($"/notifications?adresse={Uri.EscapeDataString(Email!)}&jeton={Uri.EscapeDataString(Token!)}&message=enregistre");
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(Email) || string.IsNullOrEmpty(Token))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        var result = await intake.NotificationPreferenceAsync(Email, Token, cancellationToken);
        if (!result.IsSuccess)
        {
            return StatusCode(result.Problem!.Status == StatusCodes.Status403Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status503ServiceUnavailable);
        }

        Preference = result.Value;
        Mode ??= Preference!.Mode;
        return null;
    }
}
