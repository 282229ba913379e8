using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using TicketHub.Portal.Display;
using TicketHub.Portal.Pages.Shared;
using TicketHub.Portal.Services;

namespace TicketHub.Portal.Pages.Admin;

/// <summary>
/// The administrators' page: import the collèges registry (CSV), the registry, the rule set in
/// force, and the messages the services gave up on, with their replay and discard forms.
/// </summary>
public sealed class IndexModel(IntakeClient intake, ClassifierClient classifier) : PortalPageModel
{
    /// <summary>A registry of a few hundred collèges is a few dozen KB; 2 MB is plenty.</summary>
    public const long MaxCsvBytes = 2 * 1024 * 1024;

    public const int DiscardReasonMaxLength = 500;

    public IReadOnlyList<CollegeView> Colleges { get; private set; } = [];

    public string? CollegesProblem { get; private set; }

    public JsonElement? RuleSet { get; private set; }

    public string? RuleSetProblem { get; private set; }

    public IReadOnlyList<DeadLetter> DeadLetters { get; private set; } = [];

    public string? DeadLettersProblem { get; private set; }

    public FormErrors ImportErrors { get; } = new();

    public FormErrors DeadLetterErrors { get; } = new();

    /// <summary>Which notice to show after an action (PRG): a key of <see cref="Notices"/>, never text.</summary>
    [BindProperty(SupportsGet = true, Name = "fait")]
    public string? DoneKey { get; set; }

    [BindProperty(SupportsGet = true, Name = "importes")]
    public int? Imported { get; set; }

    [BindProperty(SupportsGet = true, Name = "ajoutes")]
    public int? Created { get; set; }

    [BindProperty(SupportsGet = true, Name = "maj")]
    public int? Updated { get; set; }

    public string? Done => Notices.ForAdmin(DoneKey, Imported, Created, Updated);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostImporterAsync(IFormFile? registre, CancellationToken cancellationToken)
    {
        if (registre is null || registre.Length == 0)
        {
            ImportErrors.Add("registre", "Choisissez le fichier CSV du registre.");
        }
        else if (registre.Length > MaxCsvBytes)
        {
            ImportErrors.Add("registre", $"Le fichier pèse {FrenchFormat.Size(registre.Length)} : {FrenchFormat.Size(MaxCsvBytes)} au plus.");
        }
        else
        {
            using var buffer = new MemoryStream();
            await registre.CopyToAsync(buffer, cancellationToken);
            var result = await classifier.ImportCollegesAsync(buffer.ToArray(), cancellationToken);
            if (result.IsSuccess)
            {
                var summary = result.Value!;
                return Redirect(PageLinks.Of("/admin", ("fait", "registre"), ("importes", Invariant(summary.Imported)), ("ajoutes", Invariant(summary.Created)), ("maj", Invariant(summary.Updated))) + "#registre-title");
            }

            if (result.Problem!.Status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
            {
                return Refusal(result.Problem)!;
            }

            ImportErrors.Add("registre", result.Problem.Message);
            foreach (var (line, messages) in result.Problem.Errors)
            {
                foreach (var message in messages)
                {
                    ImportErrors.AddGeneral($"{Labels.Capitalize(line)} : {message}");
                }
            }
        }

        ViewData["HasErrors"] = true;
        return await LoadAsync(cancellationToken) ?? Page();
    }

    public async Task<IActionResult> OnPostRejouerAsync(Guid letterId, CancellationToken cancellationToken)
    {
        var result = await intake.ReplayDeadLetterAsync(letterId, cancellationToken);
        return await AfterDeadLetterActionAsync(result, letterId, "renvoye", cancellationToken);
    }

    public async Task<IActionResult> OnPostAbandonnerAsync(Guid letterId, string? reason, CancellationToken cancellationToken)
    {
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > DiscardReasonMaxLength)
        {
            DeadLetterErrors.Add($"letter-{letterId}-reason", string.IsNullOrEmpty(reason)
                ? "Indiquez pourquoi le message est abandonné."
                : $"La raison compte {reason.Length} caractères : {DiscardReasonMaxLength} au plus.");
            ViewData["HasErrors"] = true;
            return await LoadAsync(cancellationToken) ?? Page();
        }

        var result = await intake.DiscardDeadLetterAsync(letterId, reason, cancellationToken);
        return await AfterDeadLetterActionAsync(result, letterId, "abandonne", cancellationToken);
    }

    private async Task<IActionResult> AfterDeadLetterActionAsync(ApiResult<DeadLetter> result, Guid letterId, string doneKey, CancellationToken cancellationToken)
    {
        if (result.IsSuccess)
        {
            return Redirect(PageLinks.Of("/admin", ("fait", doneKey)) + "#echecs-title");
        }

        if (result.Problem!.Status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
        {
            return Refusal(result.Problem)!;
        }

        DeadLetterErrors.Add($"letter-{letterId}", result.Problem.Errors.Values.SelectMany(m => m).FirstOrDefault() ?? result.Problem.Message);
        ViewData["HasErrors"] = true;
        return await LoadAsync(cancellationToken) ?? Page();
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        var colleges = await classifier.CollegesAsync(cancellationToken);
        if (colleges.Problem?.Status is StatusCodes.Status401Unauthorized)
        {
            return Refusal(colleges.Problem);
        }

        Colleges = colleges.Value?.OrderBy(c => c.Ut, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Create(FrenchFormat.French, true)).ToList() ?? [];
        CollegesProblem = colleges.Problem?.Message;

        var ruleSet = await classifier.RuleSetAsync(cancellationToken);
        RuleSet = ruleSet.IsSuccess ? ruleSet.Value : null;
        RuleSetProblem = ruleSet.Problem?.Message;

        var letters = await intake.DeadLettersAsync(null, cancellationToken);
        DeadLetters = letters.Value?.Items ?? [];
        DeadLettersProblem = letters.Problem?.Message;
        return null;
    }

    /// <summary>A property of the rule set as text, or null.</summary>
    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Array => string.Join(" ", value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => value.GetRawText(),
            }
            : null;

    /// <summary>The rule set's list <paramref name="name"/> (rules, flags), or nothing.</summary>
    public static IEnumerable<JsonElement> List(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];

    /// <summary>A rule's conditions in words: « zone = ZA, zaTakenOver = true ».</summary>
    public static string Conditions(JsonElement rule) =>
        rule.TryGetProperty("when", out var when) && when.ValueKind == JsonValueKind.Object
            ? string.Join(", ", when.EnumerateObject().Select(p => $"{p.Name} = {(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}"))
            : "toujours";

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
