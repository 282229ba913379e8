using TicketHub.Contracts;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TicketHub.Portal.Display;
using TicketHub.Portal.Pages.Shared;
using TicketHub.Portal.Services;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Portal.Pages.Demandes;

/// <summary>
/// The one form of a collège, in plain words. Checked here first (every error at once, next to its
/// field), then by intake, whose errors are shown the same way. Sent once per form: the form's
/// hidden id becomes the Idempotency-Key, so a double click or a resent page makes one ticket.
/// </summary>
public sealed partial class NouvelleModel(IntakeClient intake, ClassifierClient classifier, IOptions<PortalOptions> options) : PortalPageModel
{
    public const int TitleMaxLength = FieldFormats.TitleMaxLength;
    public const int DescriptionMaxLength = FieldFormats.DescriptionMaxLength;
    public const int ShortTextMaxLength = FieldFormats.ShortTextMaxLength;

    /// <summary>Answers of « Est-ce un poste de l'administration ou d'une salle de classe ? ».</summary>
    public const string ZoneUnknown = "inconnue";

    /// <summary>Intake's field names → the form's field ids.</summary>
    private static readonly Dictionary<string, string> FieldOfApi = new(StringComparer.Ordinal)
    {
        ["collegeUai"] = "college",
        ["category"] = "category",
        ["zone"] = "zone",
        ["type"] = "type",
        ["buildingImpact"] = "building",
        ["title"] = "title",
        ["description"] = "description",
        ["urgency"] = "urgency",
        ["location"] = "location",
        ["requester"] = "requester-name",
        ["requester.name"] = "requester-name",
        ["requester.email"] = "requester-email",
        ["requester.phone"] = "requester-phone",
        ["attachments"] = "attachments",
    };

    [BindProperty]
    public NewTicketForm Input { get; set; } = new();

    [BindProperty(Name = "attachments")]
    public List<IFormFile> Attachments { get; set; } = [];

    public FormErrors Errors { get; } = new();

    public IReadOnlyList<Category> Categories { get; private set; } = [];

    /// <summary>The collèges a dispatcher or an administrator can file for; empty for a collège user.</summary>
    public IReadOnlyList<CollegeView> Colleges { get; private set; } = [];

    /// <summary>The collège user's own collège, when the registry knows it.</summary>
    public CollegeView? OwnCollege { get; private set; }

    public string? LoadProblem { get; private set; }

    /// <summary>What the request's text suggests, shown once before it is sent when it is worth a look; else null.</summary>
    public SuggestionView? Suggestion { get; private set; }

    /// <summary>The collège's open tickets that read like the request, shown once before it is sent: the same fault, perhaps, to follow.</summary>
    public IReadOnlyList<SimilarTicket> Similar { get; private set; } = [];

    /// <summary>The ticket chosen with « C'est le même problème : suivre ce signalement » (<see cref="OnPostSuivreAsync"/>).</summary>
    [BindProperty]
    public Guid? FollowTicket { get; set; }

    public PortalOptions Limits => options.Value;

    /// <summary>Where the error summary's link of a radio group goes: its first radio.</summary>
    public IReadOnlyDictionary<string, string> Anchors => new Dictionary<string, string>
    {
        ["category"] = Categories.Count > 0 ? $"category-{Categories[0].Code}" : "category",
        ["zone"] = "zone-ZA",
        ["building"] = "building-non",
        ["type"] = "type-incident",
    };

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Input = new NewTicketForm
        {
            FormId = Guid.NewGuid(),
            RequesterName = CurrentUser.IsApiKey ? null : CurrentUser.Name,
            Building = "non",
            Type = "incident",
            Urgency = "normal",
        };
        await LoadChoicesAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadChoicesAsync(cancellationToken);
        if (Input.FormId == Guid.Empty)
        {
            Input.FormId = Guid.NewGuid();
        }

        var (ticket, files) = Validate();
        if (ticket is null)
        {
            ViewData["HasErrors"] = true;
            return Page();
        }

        if (!Input.SuggestionShown && files.Count == 0 && await ReviewAsync(ticket, cancellationToken))
        {
            // Once: the person decides (follows a ticket, or sends again: the form comes back as it
            // was sent). Not with files, which a browser cannot send again without choosing them once more.
            Input.SuggestionShown = true;
            return Page();
        }

        var result = await intake.CreateTicketAsync(ticket, files, $"portail-{Input.FormId:N}", cancellationToken);
        if (result.IsSuccess)
        {
            return Redirect($"/demandes/{result.Value!.Id}");
        }

        if (result.Problem!.Status == StatusCodes.Status401Unauthorized)
        {
            return Refusal(result.Problem)!;
        }

        foreach (var (field, messages) in result.Problem.Errors)
        {
            var id = FieldOfApi.GetValueOrDefault(field)
                ?? (field.StartsWith("attachments", StringComparison.Ordinal) ? "attachments" : null);
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

        if (!Errors.Any || result.Problem.Errors.Count == 0)
        {
            Errors.AddGeneral(result.Problem.Status == StatusCodes.Status403Forbidden
                ? "Vous ne pouvez pas faire de demande pour ce collège."
                : result.Problem.Message);
        }

        ViewData["HasErrors"] = true;
        return Page();
    }

    /// <summary>
    /// « C'est le même problème : suivre ce signalement »: the signed-in person follows the ticket they
    /// chose instead of sending a new one; what they wrote reaches that ticket's team once.
    /// </summary>
    public async Task<IActionResult> OnPostSuivreAsync(CancellationToken cancellationToken)
    {
        if (FollowTicket is not { } id)
        {
            return await OnPostAsync(cancellationToken);
        }

        var email = Clean(Input.RequesterEmail) is { } address && FieldFormats.IsEmail(address) ? address : null;
        var text = string.Join("\n", new[] { Clean(Input.Title), Clean(Input.Description) }.OfType<string>());
        var result = await intake.FollowAsync(id, email, text.Length == 0 ? null : text, cancellationToken);
        if (result.IsSuccess)
        {
            return Redirect($"/demandes/{id}?message=suivi");
        }

        if (result.Problem!.Status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound)
        {
            return Refusal(result.Problem)!;
        }

        await LoadChoicesAsync(cancellationToken);
        Errors.AddGeneral(result.Problem.Errors.Count > 0
            ? "Votre description ne peut pas être transmise telle quelle : corrigez-la, ou envoyez votre demande."
            : result.Problem.Message);
        ViewData["HasErrors"] = true;
        return Page();
    }

    /// <summary>
    /// While the title and description are typed (with JavaScript): the collège's open tickets that read
    /// like them, as the fragment the form shows. Nothing when the classifier cannot answer.
    /// </summary>
    public async Task<IActionResult> OnPostSemblablesAsync(CancellationToken cancellationToken)
    {
        var college = CurrentUser.IsCollege ? CurrentUser.Uai : Clean(Input.CollegeUai);
        var similar = college is null || (Clean(Input.Title) is null && Clean(Input.Description) is null)
            ? null
            : (await classifier.SuggestAsync(Input.Title, Input.Description, null, college, cancellationToken)).Value?.Similar;
        return Partial("_SimilarTickets", new SimilarTickets(similar ?? [], Live: true));
    }

    /// <summary>
    /// What is worth a look before the request is sent: the collège's open tickets like it; the zone
    /// the text points to, when the person did not know it and the category does not say; the category
    /// the text points to, when it is another one. False when there is nothing, or when the classifier
    /// cannot answer: a suggestion never holds a request back.
    /// </summary>
    private async Task<bool> ReviewAsync(TicketSubmission ticket, CancellationToken cancellationToken)
    {
        var result = await classifier.SuggestAsync(ticket.Title, ticket.Description, ticket.Category, ticket.CollegeUai, cancellationToken);
        if (!result.IsSuccess)
        {
            return false;
        }

        var suggestion = result.Value!;
        Similar = suggestion.Similar ?? [];
        var zoneUnknown = ticket.Zone is null && Categories.FirstOrDefault(c => c.Code == ticket.Category) is { ZoneHint: null };
        var zone = zoneUnknown && suggestion.ZoneConfident && suggestion.Zone is "ZA" or "ZP";
        var category = suggestion.CategoryConfident && Categories.Any(c => c.Code == suggestion.Category);
        Suggestion = zone || category ? suggestion with { ZoneConfident = zone, CategoryConfident = category } : null;
        return Suggestion is not null || Similar.Count > 0;
    }

    private async Task LoadChoicesAsync(CancellationToken cancellationToken)
    {
        var categories = await classifier.CategoriesAsync(cancellationToken);
        Categories = categories.Value ?? [];
        if (!categories.IsSuccess)
        {
            LoadProblem = categories.Problem!.Message;
        }

        if (CurrentUser.IsCollege)
        {
            OwnCollege = (await classifier.CollegeAsync(CurrentUser.Uai!, cancellationToken)).Value;
        }
        else
        {
            var colleges = await classifier.CollegesAsync(cancellationToken);
            Colleges = colleges.Value?.OrderBy(c => c.Name, StringComparer.Create(FrenchFormat.French, ignoreCase: true)).ToList() ?? [];
            LoadProblem ??= colleges.IsSuccess ? null : colleges.Problem!.Message;
        }
    }

    /// <summary>Every check intake makes that can be made here, each error against its field.</summary>
    private (TicketSubmission? Ticket, IReadOnlyList<UploadedFile> Files) Validate()
    {
        var college = CurrentUser.IsCollege ? CurrentUser.Uai : Clean(Input.CollegeUai);
        if (college is null)
        {
            Errors.Add("college", "Choisissez le collège concerné.");
        }
        else if (!CurrentUser.IsCollege && !FieldFormats.IsUai(college))
        {
            Errors.Add("college", "Choisissez un collège de la liste.");
        }

        var category = Clean(Input.Category);
        if (category is null)
        {
            Errors.Add("category", "Indiquez quel est le problème, en choisissant le matériel ou le service concerné.");
        }
        else if (Categories.Count > 0 && Categories.All(c => c.Code != category))
        {
            Errors.Add("category", "Choisissez une des propositions de la liste.");
        }

        string? zone = null;
        switch (Clean(Input.Zone))
        {
            case "ZA" or "ZP":
                zone = Input.Zone!.Trim();
                break;
            case ZoneUnknown:
                break;
            default:
                Errors.Add("zone", "Indiquez s'il s'agit d'un poste de l'administration, d'une salle de classe, ou que vous ne savez pas.");
                break;
        }

        var building = Clean(Input.Building);
        if (building is not ("oui" or "non"))
        {
            Errors.Add("building", "Indiquez si la demande est liée au bâtiment.");
        }

        var type = Clean(Input.Type);
        if (type is not ("incident" or "request"))
        {
            Errors.Add("type", "Indiquez s'il s'agit d'une panne ou d'une demande.");
        }

        var urgency = Clean(Input.Urgency) ?? "normal";
        if (Labels.Urgencies.All(u => u.Code != urgency))
        {
            Errors.Add("urgency", "Choisissez une urgence de la liste.");
        }

        var location = Text(Input.Location, "location", ShortTextMaxLength, required: false, singleLine: true, "le lieu");
        var title = Text(Input.Title, "title", TitleMaxLength, required: true, singleLine: true, "un titre court");
        var description = Text(Input.Description, "description", DescriptionMaxLength, required: true, singleLine: false, "ce qui se passe");
        var name = Text(Input.RequesterName, "requester-name", ShortTextMaxLength, required: true, singleLine: true, "votre nom");
        var email = Text(Input.RequesterEmail, "requester-email", 254, required: true, singleLine: true, "votre adresse électronique");
        if (email is not null && !FieldFormats.IsEmail(email))
        {
            Errors.Add("requester-email", "L'adresse électronique n'est pas valide : elle doit ressembler à prenom.nom@ac-creteil.fr.");
        }

        var phone = Text(Input.RequesterPhone, "requester-phone", 30, required: false, singleLine: true, "votre téléphone");
        if (phone is not null && !FieldFormats.IsPhone(phone))
        {
            Errors.Add("requester-phone", "Le téléphone ne peut contenir que des chiffres, des espaces et les signes + . - ( ), par exemple 01 23 45 67 89.");
        }

        var uploads = Uploads.Check(Attachments, Limits, Errors, "attachments");
        if (Errors.Any)
        {
            if (Attachments.Any(f => f.Length > 0 || !string.IsNullOrEmpty(f.FileName)))
            {
                Errors.AddGeneral("Pour des raisons de sécurité, les pièces jointes doivent être choisies à nouveau.");
            }

            return (null, []);
        }

        var ticket = new TicketSubmission(college!, new RequesterSubmission(name!, email!, phone), zone, category!, type!,
            building == "oui", title!, description!, urgency, location);
        return (ticket, uploads);
    }

    private string? Text(string? value, string fieldId, int maxLength, bool required, bool singleLine, string what)
    {
        var text = Clean(value);
        if (text is null)
        {
            if (required)
            {
                Errors.Add(fieldId, $"Ce champ est obligatoire : indiquez {what}.");
            }

            return null;
        }

        if (text.Length > maxLength)
        {
            Errors.Add(fieldId, $"Ce texte compte {text.Length} caractères : {maxLength} au plus.");
            return null;
        }

        if (text.Any(c => char.IsControl(c) && (singleLine || (c != '\n' && c != '\r' && c != '\t'))))
        {
            Errors.Add(fieldId, singleLine ? "Ce champ tient sur une ligne." : "Ce texte contient des caractères non autorisés.");
            return null;
        }

        return text;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The form's fields, as posted.</summary>
public sealed class NewTicketForm
{
    /// <summary>Made when the form is shown; the Idempotency-Key of the ticket it creates.</summary>
    public Guid FormId { get; set; }

    public string? CollegeUai { get; set; }

    public string? Category { get; set; }

    /// <summary><c>ZA</c>, <c>ZP</c> or <c>inconnue</c>.</summary>
    public string? Zone { get; set; }

    /// <summary><c>oui</c> or <c>non</c>.</summary>
    public string? Building { get; set; }

    /// <summary><c>incident</c> or <c>request</c>.</summary>
    public string? Type { get; set; }

    public string? Urgency { get; set; }

    public string? Location { get; set; }

    public string? Title { get; set; }

    public string? Description { get; set; }

    public string? RequesterName { get; set; }

    public string? RequesterEmail { get; set; }

    public string? RequesterPhone { get; set; }

    /// <summary>The suggestion was shown for this form: it is sent as it is the next time.</summary>
    public bool SuggestionShown { get; set; }
}
