using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace TicketHub.ServiceDefaults;

/// <summary>
/// Turns ASP.NET Core's binding failures (a query parameter that is not a number, a body that is
/// not the expected JSON) into a French problem naming the parameter or the field. The framework's
/// own messages are English and for developers: they never reach the client. A message this class
/// does not recognise still gets the generic French detail of its status.
/// </summary>
internal static partial class BadRequestProblems
{
    private const int MaxEchoedLength = 60;

    public static ProblemDetails Describe(BadHttpRequestException exception)
    {
        var status = exception.StatusCode;
        if (status != StatusCodes.Status400BadRequest)
        {
            return new ProblemDetails { Status = status, Detail = ProblemDetailsDefaults.DetailFor(status) };
        }

        if (exception.InnerException is JsonException json)
        {
            return DescribeJson(json);
        }

        if (BindFailure().Match(exception.Message) is { Success: true } bind)
        {
            var name = bind.Groups["name"].Value;
            var value = Echo(bind.Groups["value"].Value);
            var expected = Expected(bind.Groups["type"].Value);
            return Invalid(name, $"Le paramètre « {name} » n'accepte pas la valeur « {value} »{expected}.", $"Valeur invalide : « {value} »{expected}.");
        }

        if (RequiredMissing().Match(exception.Message) is { Success: true } missing)
        {
            var name = missing.Groups["name"].Value;
            return Invalid(name, $"Le paramètre « {name} » est obligatoire.", "Ce paramètre est obligatoire.");
        }

        if (exception.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal))
        {
            return new ProblemDetails { Status = status, Detail = "Le corps de la requête est vide : envoyez un objet JSON." };
        }

        return new ProblemDetails { Status = status, Detail = ProblemDetailsDefaults.DetailFor(status) };
    }

    /// <summary>
    /// A body that is not JSON (the reader's own exception inside), an unknown field (a type that
    /// refuses them), or a value of the wrong type for its field.
    /// </summary>
    private static ProblemDetails DescribeJson(JsonException json)
    {
        var where = json.LineNumber is { } line ? $" (ligne {line + 1}, position {json.BytePositionInLine + 1})" : "";
        if (json.InnerException is JsonException)
        {
            return new ProblemDetails { Status = StatusCodes.Status400BadRequest, Detail = $"Le corps n'est pas un JSON valide{where}." };
        }

        if (UnmappedProperty().Match(json.Message) is { Success: true } unmapped)
        {
            var name = Echo(unmapped.Groups["name"].Value);
            return Invalid(name, $"Champ inconnu : « {name} ». Vérifiez son orthographe.", "Champ inconnu : vérifiez son orthographe.");
        }

        var field = json.Path is null or "$" ? null : json.Path.StartsWith("$.", StringComparison.Ordinal) ? json.Path[2..] : json.Path;
        return field is null
            ? new ProblemDetails { Status = StatusCodes.Status400BadRequest, Detail = $"Le corps n'a pas la forme attendue : envoyez un objet JSON{where}." }
            : Invalid(field, $"Le champ « {field} » n'a pas le type attendu{where}.", "Type incorrect.");
    }

    private static HttpValidationProblemDetails Invalid(string field, string detail, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Detail = detail,
        };

    /// <summary>What the parameter's type accepts, said in French (the framework names it <c>int</c>, <c>Nullable&lt;int&gt;</c>…).</summary>
    private static string Expected(string type) => NullableOf().Replace(type, "$1") switch
    {
        "int" or "long" or "short" or "Int32" or "Int64" or "Int16" => " : un nombre entier est attendu",
        "decimal" or "double" or "float" or "Decimal" or "Double" or "Single" => " : un nombre est attendu",
        "bool" or "Boolean" => " : true ou false",
        "Guid" => " : un identifiant au format GUID est attendu",
        "DateTime" or "DateTimeOffset" or "DateOnly" => " : une date au format AAAA-MM-JJ est attendue",
        _ => "",
    };

    /// <summary>The start of what the client sent, never cut between the two halves of an emoji.</summary>
    private static string Echo(string value) =>
        value.Length <= MaxEchoedLength ? value
        : value[..(char.IsHighSurrogate(value[MaxEchoedLength - 1]) ? MaxEchoedLength - 1 : MaxEchoedLength)] + "…";

    [GeneratedRegex("^Nullable<(.+)>$")]
    private static partial Regex NullableOf();

    // RequestDelegateFactory's messages: Failed to bind parameter "Nullable<int> limit" from "abc".
    [GeneratedRegex("""^Failed to bind parameter "(?<type>.+) (?<name>[^ "]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex BindFailure();

    // System.Text.Json, for a type that refuses unknown members: The JSON property 'x' could not be mapped to any .NET member…
    [GeneratedRegex("""^The JSON property '(?<name>.*)' could not be mapped""", RegexOptions.Singleline)]
    private static partial Regex UnmappedProperty();

    // Required parameter "int limit" was not provided from query string.
    [GeneratedRegex("""^Required parameter "(?<type>.+) (?<name>[^ "]+)" was not provided""", RegexOptions.Singleline)]
    private static partial Regex RequiredMissing();
}
