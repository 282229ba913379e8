using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using TicketHub.Contracts;
using TicketHub.Portal.Display;
using TicketHub.Portal.Pages.Shared;
using TicketHub.Portal.Services;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Portal.Pages.Indicateurs;

/// <summary>
/// How maintenance goes (issue 14): the Pôle TIE's dashboard, and the same figures limited to their
/// own tickets for each team and each collège (intake decides the scope). Key figures, then each chart
/// with its table, drawn on the server; the period and filters in a plain GET form; the CSV.
/// </summary>
public sealed class IndexModel(IntakeClient intake) : PortalPageModel
{
    [BindProperty(SupportsGet = true, Name = "du")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "au")]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "ut")]
    public string? Ut { get; set; }

    [BindProperty(SupportsGet = true, Name = "college")]
    public string? College { get; set; }

    [BindProperty(SupportsGet = true, Name = "zone")]
    public string? Zone { get; set; }

    [BindProperty(SupportsGet = true, Name = "equipe")]
    public string? Target { get; set; }

    [BindProperty(SupportsGet = true, Name = "outil")]
    public string? Tool { get; set; }

    public IndicatorsView? View { get; private set; }

    public FormErrors Errors { get; } = new();

    public string? Problem { get; private set; }

    /// <summary>The Pôle TIE cuts by team and collège; a team by collège; a collège sees its own.</summary>
    public bool ShowsTeams => CurrentUser.Role is HubRoles.Dispatcher or HubRoles.Admin;

    public bool ShowsColleges => !CurrentUser.IsCollege;

    public string Scope => CurrentUser.Role switch
    {
        HubRoles.College => $"les demandes de votre collège ({CurrentUser.Uai})",
        HubRoles.Infogerant => "les demandes orientées vers l'infogérant du Département",
        HubRoles.Rectorat => "les demandes orientées vers le Rectorat (PASS)",
        HubRoles.Omere => "les demandes orientées vers le service des bâtiments (Omère)",
        _ => "toutes les demandes du département",
    };

    /// <summary>The link to the same figures as CSV.</summary>
    public string CsvUrl => "/indicateurs?handler=Csv" + string.Concat(QueryPairs().Select(p => $"&{p.Name}={Uri.EscapeDataString(p.Value)}"));

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var result = await intake.IndicatorsAsync(Query(), cancellationToken);
        if (result.IsSuccess)
        {
            View = result.Value;
            return Page();
        }

        if (Refusal(result.Problem!) is { } refusal)
        {
            return refusal;
        }

        foreach (var (field, messages) in result.Problem!.Errors)
        {
            Errors.Add(FieldId(field), messages.FirstOrDefault() ?? result.Problem.Message);
        }

        Problem = Errors.Any ? null : result.Problem.Message;
        ViewData["HasErrors"] = Errors.Any;
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        var (response, problem) = await intake.OpenIndicatorsCsvAsync(Query(), cancellationToken);
        if (response is null)
        {
            return Refusal(problem!) ?? StatusCode(problem!.Status is >= 400 and < 500 ? StatusCodes.Status400BadRequest : StatusCodes.Status503ServiceUnavailable);
        }

        HttpContext.Response.RegisterForDispose(response);
        var fileName = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? "indicateurs.csv";
        return new FileStreamResult(await response.Content.ReadAsStreamAsync(cancellationToken), "text/csv; charset=utf-8")
        {
            FileDownloadName = Path.GetFileName(fileName),
        };
    }

    /// <summary>The delays' chart: the median, the 90th percentile behind it, in calendar hours.</summary>
    public BarChart DelaysChart => new("delais", "Délais depuis la réception, en heures (médiane, et 90e centile en clair)",
        [.. View!.Delays.Select(d => new Bar(d.Label, d.Calendar.MedianHours ?? 0, d.Calendar.MedianHours is null ? "—" : $"{Hours(d.Calendar.MedianHours)} / {Hours(d.Calendar.P90Hours)}",
            d.Calendar.P90Hours))],
        "Barre foncée : la moitié des demandes ont franchi l'étape en moins de ce temps ; barre claire : 9 demandes sur 10.");

    public BarChart TeamsChart => new("equipes", "Demandes reçues par équipe",
        [.. View!.Volumes.ByTarget.Select(c => new Bar(TargetLabel(c.Key), c.Count, c.Count.ToString(CultureInfo.InvariantCulture)))]);

    public BarChart BacklogChart => new("anciennete", "Demandes en cours aujourd'hui, par ancienneté",
        [.. View!.Backlog.ByAge.Select(c => new Bar(AgeLabel(c.Key), c.Count, c.Count.ToString(CultureInfo.InvariantCulture)))]);

    public static string Hours(double? hours) => hours switch
    {
        null => "—",
        < 1 => $"{Math.Round(hours.Value * 60):0} min",
        < 48 => string.Create(FrenchFormat.French, $"{hours.Value:0.#} h"),
        _ => string.Create(FrenchFormat.French, $"{hours.Value / 24:0.#} j"),
    };

    public static string Percent(double? rate) => rate is null ? "—" : string.Create(FrenchFormat.French, $"{rate.Value * 100:0.#} %");

    public static string TargetLabel(string key) => key == "non-orientee" ? "Pas encore orientée" : Labels.Target(key);

    public static string AgeLabel(string key) => key switch
    {
        "moins-de-2-jours" => "Moins de 2 jours",
        "2-a-7-jours" => "2 à 7 jours",
        "7-a-30-jours" => "7 à 30 jours",
        "plus-de-30-jours" => "Plus de 30 jours",
        _ => key,
    };

    /// <summary>The page's « au » is the last day shown; the API's « to » the first day after.</summary>
    private IndicatorsQuery Query() => new(From, DayAfter(To), Ut, ShowsColleges ? College : null, Zone, ShowsTeams ? Target : null, ShowsColleges ? Tool : null);

    private static string? DayAfter(string? day) =>
        DateOnly.TryParseExact(day?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            ? parsed.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : day;

    private IEnumerable<(string Name, string Value)> QueryPairs()
    {
        foreach (var (name, value) in new[] { ("du", From), ("au", To), ("ut", Ut), ("college", College), ("zone", Zone), ("equipe", Target), ("outil", Tool) })
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                yield return (name, value.Trim());
            }
        }
    }

    private static string FieldId(string apiField) => apiField switch
    {
        "from" => "du",
        "to" => "au",
        "collegeUai" => "college",
        "target" => "equipe",
        "tool" => "outil",
        var other => other,
    };
}
