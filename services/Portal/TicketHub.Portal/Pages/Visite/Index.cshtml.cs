using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using TicketHub.Contracts;
using TicketHub.Portal.Display;
using TicketHub.Portal.Pages.Shared;
using TicketHub.Portal.Services;

namespace TicketHub.Portal.Pages.Visite;

/// <summary>
/// The infogérant's monthly visit (issue 14, ADR 23): the sheet of one collège or of every collège of a
/// UT, to print or open on a tablet (its open tickets with age and last exchange, those resolved since
/// the last visit, the other teams' for information, the building's context from the registry), and
/// one form per collège that records the visit and what was done on site per ticket.
/// </summary>
public sealed class IndexModel(IntakeClient intake, ClassifierClient classifier, FrenchFormat format) : PortalPageModel
{
    [BindProperty(SupportsGet = true, Name = "college")]
    public string? College { get; set; }

    [BindProperty(SupportsGet = true, Name = "ut")]
    public string? Ut { get; set; }

    /// <summary>After a recorded visit (PRG): its collège, day and number of notes, each checked before it is shown.</summary>
    [BindProperty(SupportsGet = true, Name = "enregistree")]
    public string? RecordedCollege { get; set; }

    [BindProperty(SupportsGet = true, Name = "jour")]
    public string? RecordedDay { get; set; }

    [BindProperty(SupportsGet = true, Name = "notes")]
    public int? RecordedNotes { get; set; }

    public IReadOnlyList<CollegeView> Registry { get; private set; } = [];

    public IReadOnlyList<VisitSection> Sections { get; private set; } = [];

    public string? Problem { get; private set; }

    /// <summary>The collège whose form was sent and refused, with what was typed (shown again) and the errors.</summary>
    public PostedVisit? Posted { get; private set; }

    public FormErrors Errors { get; } = new();

    public string? Notice => RecordedCollege is { } uai && FieldFormats.IsUai(uai) && RecordedNotes is >= 0 and <= 100
        && DateOnly.TryParseExact(RecordedDay, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? $"Visite du {FrenchFormat.Date(day)} au collège {uai} enregistrée"
                + (RecordedNotes switch { 0 => ".", 1 => " : une note ajoutée à sa demande et transmise à l'outil de l'infogérant.", _ => $" : {RecordedNotes} notes ajoutées à leurs demandes et transmises à l'outil de l'infogérant." })
            : null;

    public string Today => format.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await ShowAsync(cancellationToken) ?? Page();

    /// <summary>Records the visit of <paramref name="visitCollege"/>: the notes typed (blank ones are not sent), the day, the technician.</summary>
    public async Task<IActionResult> OnPostAsync(string visitCollege, Guid visitId, string? visitedOn, string? technician, Dictionary<string, string>? notes,
        CancellationToken cancellationToken)
    {
        var typed = (notes ?? []).Where(n => Guid.TryParse(n.Key, out _) && !string.IsNullOrWhiteSpace(n.Value))
            .ToDictionary(n => Guid.Parse(n.Key), n => n.Value.Trim());
        var registry = (await classifier.CollegeAsync(visitCollege, cancellationToken)).Value;
        var submission = new VisitSubmission(visitCollege, registry?.Ut, visitedOn, string.IsNullOrWhiteSpace(technician) ? null : technician.Trim(),
            [.. typed.Select(n => new VisitNoteSubmission(n.Key, n.Value))]);
        var result = await intake.RecordVisitAsync(visitId, submission, cancellationToken);
        if (result.IsSuccess)
        {
            return Redirect(PageLinks.Of("/visite", ("college", College), ("ut", Ut), ("enregistree", visitCollege),
                ("jour", result.Value!.VisitedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("notes", result.Value.Notes.Count.ToString(CultureInfo.InvariantCulture))));
        }

        if (Refusal(result.Problem!) is { } refusal)
        {
            return refusal;
        }

        Posted = new PostedVisit(visitCollege, visitId, visitedOn, technician, typed);
        var ids = submission.Notes.Select(n => n.Ticket).ToList();
        foreach (var (field, messages) in result.Problem!.Errors)
        {
            Errors.Add(FieldId(visitCollege, field, ids), messages.FirstOrDefault() ?? result.Problem.Message);
        }

        if (!Errors.Any)
        {
            Errors.AddGeneral(result.Problem.Message);
        }

        ViewData["HasErrors"] = true;
        return await ShowAsync(cancellationToken) ?? Page();
    }

    public static string DayId(string uai) => $"visite-{uai}-jour";

    public static string TechnicianId(string uai) => $"visite-{uai}-technicien";

    public static string NoteId(Guid ticket) => $"note-{ticket:N}";

    /// <summary>The value a note's box shows: what was typed before a refused send, else nothing.</summary>
    public string? NoteValue(string uai, Guid ticket) => Posted is { } posted && posted.College == uai ? posted.Notes.GetValueOrDefault(ticket) : null;

    /// <summary>The id of the visit the form records: kept across a refused send, so that sending it again is still one visit.</summary>
    public Guid VisitIdFor(string uai) => Posted is { } posted && posted.College == uai ? posted.VisitId : Guid.CreateVersion7();

    private async Task<IActionResult?> ShowAsync(CancellationToken cancellationToken)
    {
        College = string.IsNullOrWhiteSpace(College) ? null : College.Trim().ToUpperInvariant();
        Ut = Labels.Uts.Contains(Ut) ? Ut : null;
        Registry = (await classifier.CollegesAsync(cancellationToken)).Value?.OrderBy(c => c.Name, StringComparer.Create(FrenchFormat.French, true)).ToList() ?? [];
        if (College is null && Ut is null)
        {
            return null;
        }

        var sheet = await intake.VisitSheetAsync(College, College is null ? Ut : null, cancellationToken);
        if (!sheet.IsSuccess)
        {
            if (Refusal(sheet.Problem!) is { } refusal)
            {
                return refusal;
            }

            Problem = sheet.Problem!.Message;
            return null;
        }

        var found = sheet.Value!.Colleges.ToDictionary(c => c.Uai, StringComparer.Ordinal);
        var wanted = College is not null
            ? [College]
            : Registry.Where(c => c.Ut == Ut).Select(c => c.Uai).Concat(found.Keys).Distinct(StringComparer.Ordinal).ToList();
        Sections = [.. wanted
            .Select(uai => new VisitSection(Registry.FirstOrDefault(c => c.Uai == uai),
                found.GetValueOrDefault(uai) ?? new CollegeSheetView(uai, null, Ut, null, sheet.Value.Today.AddDays(-31), [], [], [])))
            .OrderBy(s => s.Name, StringComparer.Create(FrenchFormat.French, true))];
        return null;
    }

    /// <summary>Intake's field (<c>notes[1].text</c>) as the id of the form's field it is about.</summary>
    private static string FieldId(string uai, string field, IReadOnlyList<Guid> notes)
    {
        if (field.StartsWith("notes[", StringComparison.Ordinal)
            && int.TryParse(field.AsSpan(6, field.IndexOf(']', StringComparison.Ordinal) - 6), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && index < notes.Count)
        {
            return NoteId(notes[index]);
        }

        return field switch
        {
            "visitedOn" => DayId(uai),
            "technician" => TechnicianId(uai),
            _ => DayId(uai),
        };
    }
}

/// <summary>A refused form, shown again as it was typed.</summary>
public sealed record PostedVisit(string College, Guid VisitId, string? VisitedOn, string? Technician, IReadOnlyDictionary<Guid, string> Notes);

/// <summary>One collège of the sheet: intake's tickets and the registry's record of the building.</summary>
public sealed record VisitSection(CollegeView? Registry, CollegeSheetView Sheet)
{
    public string Uai => Sheet.Uai;

    public string Name => Registry?.Name ?? Sheet.Name ?? Sheet.Uai;

    /// <summary>What a technician must know of the building before touching a wall or a ceiling, and who maintains what.</summary>
    public IReadOnlyList<string> Building
    {
        get
        {
            var lines = new List<string>
            {
                Registry?.BuiltYear switch
                {
                    null => "Année de construction inconnue du registre : demandez au Pôle TIE si un diagnostic amiante avant travaux (DAT) est requis avant de percer ou de fixer.",
                    < 1997 and var year => $"Construit en {year} : diagnostic amiante avant travaux (DAT) requis avant d'installer, de fixer ou de déplacer un équipement (percement, faux plafond).",
                    var year => $"Construit en {year} : pas de diagnostic amiante avant travaux requis (bâtiment postérieur à 1997).",
                },
            };
            if (Registry is { CiteMixte: true })
            {
                lines.Add("Cité mixte : la zone pédagogique est entretenue par la Région.");
            }

            if (Registry is not null)
            {
                lines.Add(Registry.ZaRepriseDate is { } reprise
                    ? $"Zone administrative reprise par le Département le {FrenchFormat.Date(reprise)}."
                    : "Zone administrative encore tenue par le Rectorat (PASS).");
            }

            return lines;
        }
    }
}
