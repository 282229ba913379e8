using System.Text.Json;
using System.Text.RegularExpressions;
using TicketHub.Contracts;

using TicketHub.Intake.Http;

namespace TicketHub.Intake.Tickets;

/// <summary>
/// Reads a <c>POST /api/v1/tickets</c> body field by field, so that every problem is reported at
/// once, against the field it concerns, in French: wrong types, missing or unknown fields, lengths,
/// formats. Binding to a DTO first would stop at the first type error with an English message.
/// </summary>
public static partial class TicketRequestParser
{
    public const int TitleMaxLength = FieldFormats.TitleMaxLength;
    public const int DescriptionMaxLength = FieldFormats.DescriptionMaxLength;
    public const int ShortTextMaxLength = FieldFormats.ShortTextMaxLength;

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "collegeUai", "requester", "zone", "category", "type", "buildingImpact", "title", "description",
        "urgency", "location", "equipment",
    };

    private static readonly HashSet<string> RequesterFields = new(StringComparer.Ordinal) { "name", "email", "phone" };

    public static ParseResult Parse(JsonElement root)
    {
        var errors = new Errors();
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("$", "Le corps doit être un objet JSON décrivant la demande.");
            return new ParseResult(null, errors.ToDictionary());
        }

        foreach (var property in root.EnumerateObject())
        {
            if (!KnownFields.Contains(property.Name))
            {
                errors.Add(property.Name, "Champ inconnu : vérifiez son orthographe.");
            }
        }

        var uai = RequiredString(root, "collegeUai", "le code UAI du collège", 8, errors);
        if (uai is not null && !FieldFormats.IsUai(uai))
        {
            errors.Add("collegeUai", "Le code UAI doit comporter 7 chiffres suivis d'une lettre majuscule (ex. 0931234X).");
        }

        var requester = ParseRequester(root, errors);
        var zone = OptionalEnum(root, "zone", ["ZP", "ZA"], "La zone doit valoir \"ZP\" (pédagogique), \"ZA\" (administrative) ou null si vous ne savez pas.", errors);
        var category = RequiredString(root, "category", "la catégorie", 50, errors);
        if (category is not null && !CategoryCodes.All.Contains(category))
        {
            errors.Add("category", $"Catégorie inconnue. Valeurs possibles : {string.Join(", ", CategoryCodes.All.Order(StringComparer.Ordinal))}.");
        }

        var type = OptionalEnum(root, "type", ["incident", "request"], "Le type doit valoir \"incident\" (panne) ou \"request\" (installation, déplacement, nouveau besoin).", errors) ?? "incident";
        var buildingImpact = OptionalBoolean(root, "buildingImpact", errors) ?? false;
        var title = RequiredString(root, "title", "le titre", TitleMaxLength, errors, singleLine: true);
        var description = RequiredString(root, "description", "la description", DescriptionMaxLength, errors);
        var urgency = OptionalEnum(root, "urgency", ["low", "normal", "high", "critical"], "L'urgence doit valoir \"low\", \"normal\", \"high\" ou \"critical\".", errors) ?? "normal";
        var location = OptionalString(root, "location", "le lieu", ShortTextMaxLength, errors);
        var equipment = OptionalString(root, "equipment", "l'équipement", ShortTextMaxLength, errors);

        if (errors.Any || uai is null || requester is null || category is null || title is null || description is null)
        {
            return new ParseResult(null, errors.ToDictionary());
        }

        var details = new TicketDetails(uai, requester, zone, category, type, buildingImpact, title, description, urgency, location, equipment);
        return new ParseResult(new NewTicket(details), null);
    }

    private static Requester? ParseRequester(JsonElement root, Errors errors)
    {
        if (!root.TryGetProperty("requester", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            errors.Add("requester", "Indiquez le demandeur : {\"name\": …, \"email\": …}.");
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add("requester", "Le demandeur doit être un objet {\"name\", \"email\", \"phone\"}.");
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!RequesterFields.Contains(property.Name))
            {
                errors.Add($"requester.{property.Name}", "Champ inconnu : vérifiez son orthographe.");
            }
        }

        var name = RequiredString(element, "name", "le nom du demandeur", ShortTextMaxLength, errors, "requester.", singleLine: true);
        var email = RequiredString(element, "email", "l'adresse électronique du demandeur", 254, errors, "requester.", singleLine: true);
        if (email is not null && !FieldFormats.IsEmail(email))
        {
            errors.Add("requester.email", "L'adresse électronique n'est pas valide (ex. prenom.nom@ac-creteil.fr).");
        }

        var phone = OptionalString(element, "phone", "le téléphone", 30, errors, "requester.");
        if (phone is not null && !FieldFormats.IsPhone(phone))
        {
            errors.Add("requester.phone", "Le téléphone ne peut contenir que des chiffres, des espaces et les signes + . - ( ).");
        }

        return name is null || email is null ? null : new Requester(name, email, phone);
    }

    private static string? RequiredString(JsonElement parent, string name, string what, int maxLength, Errors errors, string prefix = "", bool singleLine = false)
    {
        var value = OptionalString(parent, name, what, maxLength, errors, prefix, singleLine);
        if (value is null && !errors.Has(prefix + name))
        {
            errors.Add(prefix + name, $"Ce champ est obligatoire : indiquez {what}.");
        }

        return value;
    }

    private static string? OptionalString(JsonElement parent, string name, string what, int maxLength, Errors errors, string prefix = "", bool singleLine = false)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var field = prefix + name;
        if (element.ValueKind != JsonValueKind.String)
        {
            errors.Add(field, $"Type incorrect : {what} doit être une chaîne de caractères.");
            return null;
        }

        var value = element.GetString()!.Trim();
        if (value.Length == 0)
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            errors.Add(field, $"Trop long : {value.Length} caractères pour {maxLength} au plus.");
            return null;
        }

        if (HasForbiddenControlCharacter(value, singleLine))
        {
            errors.Add(field, singleLine
                ? "Ce champ tient sur une ligne et ne peut pas contenir de caractères de contrôle."
                : "Ce champ contient des caractères de contrôle non autorisés.");
            return null;
        }

        if (BidiControls.Contains(value))
        {
            errors.Add(field, BidiControls.Message);
            return null;
        }

        return value;
    }

    private static string? OptionalEnum(JsonElement parent, string name, string[] allowed, string message, Errors errors)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.String && allowed.Contains(element.GetString(), StringComparer.Ordinal))
        {
            return element.GetString();
        }

        errors.Add(name, message);
        return null;
    }

    private static bool? OptionalBoolean(JsonElement parent, string name, Errors errors)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return element.GetBoolean();
        }

        errors.Add(name, "Type incorrect : ce champ vaut true ou false.");
        return null;
    }

    /// <summary>Tabs and line breaks are text; other C0/C1 controls (NUL, ESC…) are not.</summary>
    private static bool HasForbiddenControlCharacter(string value, bool singleLine)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c) && (singleLine || (c != '\n' && c != '\r' && c != '\t')))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

        public bool Any => _errors.Count > 0;

        public bool Has(string field) => _errors.ContainsKey(field);

        public void Add(string field, string message)
        {
            if (!_errors.TryGetValue(field, out var list))
            {
                _errors[field] = list = [];
            }

            list.Add(message);
        }

        public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }
}

/// <summary>Either a ticket or the errors per field, never both.</summary>
public sealed record ParseResult(NewTicket? Ticket, IDictionary<string, string[]>? Errors);
