using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using TicketHub.Intake.Tickets;
using TicketHub.Intake.Visits;
using TicketHub.ServiceDefaults;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Indicators;

public static class IndicatorsApi
{
    /// <summary>The longest period asked at once: three school years.</summary>
    public const int MaxDays = 3 * 366;

    private const int DefaultDays = 30;

    public static IEndpointRouteBuilder MapIndicatorsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/indicators", GetAsync)
            .WithTags("Indicators")
            .RequireHubRoles([.. HubRoles.All])
            .WithSummary("Indicateurs de la maintenance")
            .WithDescription("Les demandes reçues du jour « from » (inclus) au jour « to » (exclu), heure de Paris, filtrées par ut, collegeUai, zone, "
                + "category, target et tool ; chacun voit son périmètre. JSON, ou CSV avec format=csv ou Accept: text/csv. Définitions : docs/indicators.md.");
        return app;
    }

    /// <summary>
    /// The indicators of the tickets received in the period, for the reader's scope
    /// (<see cref="TicketAccess"/>: a collège its own, a team the tickets routed to it, the Pôle TIE all);
    /// a filter outside it is a 403. Definitions in <see cref="IndicatorsReport"/> and <c>docs/indicators.md</c>.
    /// </summary>
    private static async Task<Results<Ok<IndicatorsView>, ContentHttpResult, ProblemHttpResult>> GetAsync(
        HttpContext context, IndicatorsStore store, VisitStore visits, SchoolCalendar calendar, TimeProvider clock, CancellationToken cancellationToken,
        string? from = null, string? to = null, string? ut = null, string? collegeUai = null, string? zone = null, string? category = null,
        string? target = null, string? tool = null, string? format = null)
    {
        var now = clock.GetUtcNow();
        var today = calendar.DayOf(now);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var end = Day(to, "to", errors) ?? today.AddDays(1);
        var start = Day(from, "from", errors) ?? end.AddDays(-DefaultDays);
        if (errors.Count == 0 && end <= start)
        {
            errors["to"] = ["« to » doit venir après « from » (le jour « to » n'est pas compris)."];
        }
        else if (errors.Count == 0 && end.DayNumber - start.DayNumber > MaxDays)
        {
            errors["from"] = [$"La période compte au plus {MaxDays} jours."];
        }

        var filter = new IndicatorsFilter(Blank(ut), Blank(collegeUai), Blank(zone), Blank(category), Blank(target), Blank(tool));
        Check(filter, errors);
        if (format is not null && format != "csv" && format != "json")
        {
            errors["format"] = ["« format » vaut json ou csv."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors, "Les paramètres des indicateurs contiennent des erreurs : corrigez-les.", StatusCodes.Status400BadRequest);
        }

        var user = context.HubUser();
        var (collegeScope, targetScope, refusal) = TicketScopeFilter.Restrict(user, filter.CollegeUai, filter.Target, "les indicateurs", "les indicateurs des demandes");
        if (refusal is not null)
        {
            return refusal;
        }

        filter = filter with { CollegeUai = collegeScope, Target = targetScope };

        var received = await store.ReceivedAsync(calendar.StartOf(start), calendar.StartOf(end), filter, cancellationToken);
        var open = await store.OpenAsync(filter, cancellationToken);
        var refusedFiles = await store.RefusedFilesAsync(calendar.StartOf(start), calendar.StartOf(end), filter, cancellationToken);
        int? deadLetters = user.Role is HubRoles.Dispatcher or HubRoles.Admin
            ? await store.DeadLettersAsync(calendar.StartOf(start), calendar.StartOf(end), cancellationToken)
            : null;
        var view = IndicatorsReport.Compute(start, end, filter, received, open, refusedFiles, deadLetters, now, calendar);
        if (user.Role is not (HubRoles.Rectorat or HubRoles.Omere))
        {
            view = view with { Visits = VisitFigures.Of(await visits.CountByCollegeAsync(start, end, filter.Ut, filter.CollegeUai, cancellationToken)) };
        }

        var wantsCsv = format == "csv" || (format is null && context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)));
        if (!wantsCsv)
        {
            return TypedResults.Ok(view);
        }

        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName($"indicateurs-{start:yyyy-MM-dd}-{end.AddDays(-1):yyyy-MM-dd}.csv");
        context.Response.Headers.ContentDisposition = disposition.ToString();
        return TypedResults.Text(IndicatorsCsv.Write(view), "text/csv; charset=utf-8", Encoding.UTF8);
    }

    private static DateOnly? Day(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors[name] = [$"« {name} » est un jour au format AAAA-MM-JJ, par exemple 2026-09-01."];
        return null;
    }

    /// <summary>Every parameter refused; those that choose the tickets are checked as a list's are (<see cref="TicketScopeFilter"/>).</summary>
    private static void Check(IndicatorsFilter filter, Dictionary<string, string[]> errors)
    {
        if (TicketScopeFilter.UtError(filter.Ut) is { } ut)
        {
            errors["ut"] = [ut];
        }

        if (TicketScopeFilter.CollegeUaiError(filter.CollegeUai) is { } collegeUai)
        {
            errors["collegeUai"] = [collegeUai];
        }

        if (filter.Zone is { } zone && zone is not ("ZP" or "ZA"))
        {
            errors["zone"] = ["« zone » vaut ZP ou ZA."];
        }

        if (filter.Category is { } category && (category.Length > 50 || !category.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            errors["category"] = ["« category » est le code d'une catégorie (lettres, chiffres et tirets, 50 caractères au plus)."];
        }

        if (TicketScopeFilter.TargetError(filter.Target) is { } target)
        {
            errors["target"] = [target];
        }

        if (TicketScopeFilter.ToolError(filter.Tool) is { } tool)
        {
            errors["tool"] = [tool];
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
