using TicketHub.Contracts;
using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TicketHub.Classifier.Registry;

/// <summary>
/// The rules a collège must satisfy, shared by the JSON API and the CSV import. Raw values come in
/// as text so that each field gets its own message instead of one "malformed request".
/// </summary>
public static partial class CollegeValidator
{
    public const int FirstBuiltYear = 1800;

    private static readonly string[] Uts = ["UT1", "UT2", "UT3", "UT4"];

    private const string ControlCharacterMessage =
        "Ce champ contient des caractères de contrôle non autorisés (seuls la tabulation et les sauts de ligne sont admis).";

    public static bool IsUai(string? value) => FieldFormats.IsUai(value);

    public static string? CheckUai(string? uai) =>
        IsUai(uai) ? null : $"Le code UAI « {uai} » est invalide : 7 chiffres suivis d'une lettre majuscule (ex. 0931234X).";

    /// <summary>
    /// Validates one collège; returns it, or the errors keyed by field name (camelCase, as in the
    /// API and the CSV header).
    /// </summary>
    /// <param name="currentYear">Latest acceptable construction year.</param>
    public static (College? College, Dictionary<string, string[]> Errors) Validate(CollegeFields fields, int currentYear)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Add(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field, []), message];

        var uai = fields.Uai?.Trim();
        if (CheckUai(uai) is { } uaiError)
        {
            Add("uai", uaiError);
        }

        var name = fields.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            Add("name", "Le nom du collège est obligatoire.");
        }
        else if (name.Length > 200)
        {
            Add("name", "Le nom du collège ne doit pas dépasser 200 caractères.");
        }
        else if (!IsText(name))
        {
            Add("name", ControlCharacterMessage);
        }

        var commune = fields.Commune?.Trim();
        if (string.IsNullOrEmpty(commune))
        {
            Add("commune", "La commune est obligatoire.");
        }
        else if (commune.Length > 100)
        {
            Add("commune", "La commune ne doit pas dépasser 100 caractères.");
        }
        else if (!IsText(commune))
        {
            Add("commune", ControlCharacterMessage);
        }

        var ut = fields.Ut?.Trim();
        if (string.IsNullOrEmpty(ut))
        {
            Add("ut", "L'unité territoriale est obligatoire : UT1, UT2, UT3 ou UT4.");
        }
        else if (!Uts.Contains(ut, StringComparer.Ordinal))
        {
            Add("ut", $"L'unité territoriale « {ut} » est inconnue : UT1, UT2, UT3 ou UT4.");
        }

        bool? citeMixte = fields.CiteMixte?.Trim().ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(fields.CiteMixte))
        {
            Add("citeMixte", "Indiquez si le collège est une cité mixte : true ou false.");
        }
        else if (citeMixte is null)
        {
            Add("citeMixte", $"La valeur « {fields.CiteMixte} » n'est pas valable : true ou false.");
        }

        DateOnly? repriseDate = null;
        if (!string.IsNullOrWhiteSpace(fields.ZaRepriseDate))
        {
            if (DateOnly.TryParseExact(fields.ZaRepriseDate.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                repriseDate = date;
            }
            else
            {
                Add("zaRepriseDate", $"La date de reprise « {fields.ZaRepriseDate} » n'est pas une date AAAA-MM-JJ (ex. 2024-01-08) ; laissez-la vide si la ZA n'est pas reprise.");
            }
        }

        int? builtYear = null;
        if (!string.IsNullOrWhiteSpace(fields.BuiltYear))
        {
            if (int.TryParse(fields.BuiltYear.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
                && year >= FirstBuiltYear && year <= currentYear)
            {
                builtYear = year;
            }
            else
            {
                Add("builtYear", $"L'année de construction « {fields.BuiltYear} » doit être comprise entre {FirstBuiltYear} et {currentYear}, ou vide si elle est inconnue.");
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new College(uai!, name!, commune!, ut!, citeMixte!.Value, repriseDate, builtYear), errors);
    }

    /// <summary>
    /// Text as intake accepts it (ADR 0004): tabs and line breaks (a quoted CSV name may hold one),
    /// but no other control character (NUL, ESC…) and no half of a surrogate pair, which neither the
    /// database nor a JSON writer would give back as sent.
    /// </summary>
    private static bool IsText(string value)
    {
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var length) != OperationStatus.Done
                || (Rune.IsControl(rune) && rune.Value is not ('\t' or '\n' or '\r')))
            {
                return false;
            }

            rest = rest[length..];
        }

        return true;
    }
}

/// <summary>A collège's fields as received, before validation.</summary>
public sealed record CollegeFields(
    string? Uai,
    string? Name,
    string? Commune,
    string? Ut,
    string? CiteMixte,
    string? ZaRepriseDate,
    string? BuiltYear);
