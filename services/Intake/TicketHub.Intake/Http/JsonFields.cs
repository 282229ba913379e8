using System.Text.Json;

namespace TicketHub.Intake.Http;

/// <summary>Field checks shared by the request parsers; every problem is reported against its field, in French.</summary>
public static class JsonFields
{
    /// <summary>Reports every property of <paramref name="root"/> that is not in <paramref name="known"/>.</summary>
    public static void RejectUnknown(JsonElement root, IReadOnlySet<string> known, Dictionary<string, string[]> errors)
    {
        foreach (var property in root.EnumerateObject().Where(p => !known.Contains(p.Name)))
        {
            errors[property.Name] = ["Champ inconnu : vérifiez son orthographe."];
        }
    }

    /// <summary>
    /// A trimmed string, or null when the field is absent, null or blank. Wrong type, excess length
    /// and control characters (line breaks allowed when <paramref name="multiLine"/>) are errors.
    /// </summary>
    public static string? Text(JsonElement root, string name, int maxLength, Dictionary<string, string[]> errors, bool multiLine = false)
    {
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            errors[name] = ["Type incorrect : ce champ est une chaîne de caractères."];
            return null;
        }

        var value = element.GetString()!.Trim();
        if (value.Length > maxLength)
        {
            errors[name] = [$"Trop long : {value.Length} caractères pour {maxLength} au plus."];
            return null;
        }

        if (value.Any(c => char.IsControl(c) && (!multiLine || (c != '\n' && c != '\r' && c != '\t'))))
        {
            errors[name] = ["Ce champ contient des caractères de contrôle non autorisés."];
            return null;
        }

        if (BidiControls.Contains(value))
        {
            errors[name] = [BidiControls.Message];
            return null;
        }

        return value.Length == 0 ? null : value;
    }
}
