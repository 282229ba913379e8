using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketHub.Contracts;
using TicketHub.Intake.Conversation;
using TicketHub.Intake.Http;
using TicketHub.Intake.Indicators;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Visits;

/// <summary>
/// The infogérant's monthly visit (issue 14, ADR 23): <c>GET /api/v1/visits/sheet</c> prepares it,
/// <c>PUT /api/v1/visits/{id}</c> records it. For the infogérant and the Pôle TIE.
/// </summary>
public static class VisitsApi
{
    /// <summary>A visit is recorded within this many days (a sheet filled after the holidays still counts).</summary>
    public const int RecordWithinDays = 60;

    public const int MaxNotes = 100;

    private static readonly string[] Roles = [HubRoles.Infogerant, HubRoles.Dispatcher, HubRoles.Admin];

    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal) { "collegeUai", "ut", "visitedOn", "technician", "notes" };

    private static readonly HashSet<string> NoteFields = new(StringComparer.Ordinal) { "ticket", "text" };

    public static IEndpointRouteBuilder MapVisitsApi(this IEndpointRouteBuilder app)
    {
        var visits = app.MapGroup("/api/v1/visits").WithTags("Visites");
        visits.MapGet("/sheet", SheetAsync).RequireHubRoles(Roles)
            .WithSummary("Fiche de visite d'un collège ou d'une UT")
            .WithDescription("collegeUai ou ut : pour chaque collège, les demandes ouvertes de l'infogérant (ancienneté, dernier échange), "
                + "celles résolues depuis la dernière visite (à confirmer sur place), les demandes ouvertes des autres équipes (pour information) et la dernière visite.");
        visits.MapPut("/{id}", RecordAsync).RequireHubRoles(Roles)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Enregistrer une visite")
            .WithDescription("Corps {\"collegeUai\", \"ut\"?, \"visitedOn\": \"AAAA-MM-JJ\", \"technician\"?, \"notes\": [{\"ticket\": id, \"text\"}]} : "
                + "la visite est comptée dans les indicateurs ; chaque note est ajoutée au fil de la demande et transmise à son outil. "
                + "L'identifiant est choisi par la fiche : la même visite renvoyée répond 200 sans rien ajouter ; un autre contenu, 409.");
        return app;
    }

    private static async Task<Results<Ok<VisitSheet>, ProblemHttpResult>> SheetAsync(
        VisitStore visits, CancellationToken cancellationToken, string? collegeUai = null, string? ut = null)
    {
        collegeUai = Blank(collegeUai)?.ToUpperInvariant();
        ut = Blank(ut);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if ((collegeUai is null) == (ut is null))
        {
            errors["collegeUai"] = ["Indiquez un collège (collegeUai) ou une unité territoriale (ut), l'un des deux."];
        }
        else if (TicketScopeFilter.CollegeUaiError(collegeUai) is { } badUai)
        {
            errors["collegeUai"] = [badUai];
        }
        else if (TicketScopeFilter.UtError(ut) is { } badUt)
        {
            errors["ut"] = [badUt];
        }

        return errors.Count > 0
            ? Problems.Validation(errors, "La fiche de visite demande un collège ou une UT.", StatusCodes.Status400BadRequest)
            : TypedResults.Ok(await visits.SheetAsync(collegeUai, ut, cancellationToken));
    }

    /// <summary>
    /// Records the visit and its notes. The technician is the one named, else the signed-in user; who
    /// recorded it is always the signed-in user. 201 the first time, 200 for the same visit sent again.
    /// </summary>
    private static async Task<Results<Created<VisitSummary>, Ok<VisitSummary>, ProblemHttpResult>> RecordAsync(
        string id, HttpContext context, VisitStore visits, SchoolCalendar calendar, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var visitId))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["id"] = ["L'identifiant de la visite est celui que la fiche de visite a choisi (un GUID)."] },
                "La visite n'a pas été enregistrée : son identifiant n'est pas valide.", StatusCodes.Status400BadRequest);
        }

        var (document, _, problem) = await JsonRequest.ReadAsync(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var user = context.HubUser();
        using var json = document!;
        var (record, errors) = Parse(json.RootElement, user, calendar.DayOf(clock.GetUtcNow()));
        if (record is null)
        {
            return Problems.Validation(errors, "La visite n'a pas été enregistrée : corrigez les champs indiqués.");
        }

        var outcome = await visits.RecordAsync(visitId, record, user.AuditNameWithin(CommentsApi.AuthorMaxLength), cancellationToken);
        if (outcome.Errors is { } refused)
        {
            return Problems.Validation(refused, "La visite n'a pas été enregistrée : certaines notes portent sur des demandes qui ne s'y prêtent pas.");
        }

        return outcome.Visit switch
        {
            null => Problems.Of(StatusCodes.Status409Conflict,
                "Une autre visite est déjà enregistrée sous cet identifiant : rechargez la fiche de visite pour en remplir une nouvelle."),
            { } visit when outcome.IsNew => TypedResults.Created($"/api/v1/visits/{visit.Id}", visit),
            { } visit => TypedResults.Ok(visit),
        };
    }

    private static (VisitRecord? Record, Dictionary<string, string[]> Errors) Parse(JsonElement root, HubUser user, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["Le corps doit être un objet JSON {\"collegeUai\", \"visitedOn\", \"technician\", \"notes\"}."];
            return (null, errors);
        }

        JsonFields.RejectUnknown(root, Fields, errors);
        var uai = JsonFields.Text(root, "collegeUai", 8, errors)?.ToUpperInvariant();
        if (uai is null && !errors.ContainsKey("collegeUai"))
        {
            errors["collegeUai"] = ["Indiquez le collège visité (code UAI)."];
        }
        else if (uai is not null && !FieldFormats.IsUai(uai))
        {
            errors["collegeUai"] = [$"Le code UAI n'est pas valide : {FieldFormats.UaiRule}."];
        }

        var ut = JsonFields.Text(root, "ut", TicketScopeFilter.UtMaxLength, errors);
        var technician = JsonFields.Text(root, "technician", CommentsApi.AuthorMaxLength, errors) ?? CommentsApi.Cut(user.Name, CommentsApi.AuthorMaxLength);
        var day = VisitDay(JsonFields.Text(root, "visitedOn", 10, errors), today, errors);
        var notes = Notes(root, errors);
        return errors.Count > 0 ? (null, errors) : (new VisitRecord(uai!, ut, day!.Value, technician, notes), errors);
    }

    private static DateOnly? VisitDay(string? value, DateOnly today, Dictionary<string, string[]> errors)
    {
        if (errors.ContainsKey("visitedOn"))
        {
            return null;
        }

        if (value is null)
        {
            errors["visitedOn"] = ["Indiquez le jour de la visite."];
            return null;
        }

        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            errors["visitedOn"] = ["Le jour de la visite est au format AAAA-MM-JJ, par exemple 2026-12-07."];
            return null;
        }

        if (day > today)
        {
            errors["visitedOn"] = ["Le jour de la visite ne peut pas être après aujourd'hui : une visite s'enregistre une fois faite."];
            return null;
        }

        if (day < today.AddDays(-RecordWithinDays))
        {
            errors["visitedOn"] = [$"Une visite s'enregistre dans les {RecordWithinDays} jours qui la suivent."];
            return null;
        }

        return day;
    }

    private static List<VisitNote> Notes(JsonElement root, Dictionary<string, string[]> errors)
    {
        var notes = new List<VisitNote>();
        if (!root.TryGetProperty("notes", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return notes;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            errors["notes"] = ["« notes » est une liste de {\"ticket\", \"text\"}."];
            return notes;
        }

        if (array.GetArrayLength() > MaxNotes)
        {
            errors["notes"] = [$"Une visite compte {MaxNotes} notes au plus."];
            return notes;
        }

        var seen = new HashSet<Guid>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var at = $"notes[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors[at] = ["Chaque note est un objet {\"ticket\", \"text\"}."];
                continue;
            }

            var noteErrors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            JsonFields.RejectUnknown(item, NoteFields, noteErrors);
            var ticket = JsonFields.Text(item, "ticket", 36, noteErrors);
            var text = JsonFields.Text(item, "text", CommentsApi.TextMaxLength, noteErrors, multiLine: true);
            if (!noteErrors.ContainsKey("ticket") && !Guid.TryParse(ticket, out _))
            {
                noteErrors["ticket"] = ["Indiquez la demande par son identifiant, tel que la fiche de visite le donne."];
            }
            else if (Guid.TryParse(ticket, out var duplicate) && !seen.Add(duplicate))
            {
                noteErrors["ticket"] = ["Cette demande a déjà une note dans cette visite : réunissez-les en une seule."];
            }

            if (text is null && !noteErrors.ContainsKey("text"))
            {
                noteErrors["text"] = ["Écrivez ce qui a été fait sur place."];
            }

            foreach (var (field, messages) in noteErrors)
            {
                errors[$"{at}.{field}"] = messages;
            }

            if (noteErrors.Count == 0)
            {
                notes.Add(new VisitNote(Guid.Parse(ticket!), text!));
            }
        }

        return notes;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
