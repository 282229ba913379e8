using System.Net;
using System.Text.Json;

namespace TicketHub.Portal.Services;

/// <summary>A service's answer: the value, or the problem it reported (in French, per field when it says so).</summary>
public sealed class ApiResult<T>
{
    private ApiResult(HttpStatusCode status, T? value, ApiProblem? problem)
    {
        Status = status;
        Value = value;
        Problem = problem;
    }

    public HttpStatusCode Status { get; }

    public T? Value { get; }

    public ApiProblem? Problem { get; }

    public bool IsSuccess => Problem is null;

    public static ApiResult<T> Success(HttpStatusCode status, T value) => new(status, value, null);

    public static ApiResult<T> Failure(ApiProblem problem) => new((HttpStatusCode)problem.Status, default, problem);
}

/// <summary>An RFC 9457 problem as the services write it: French title and detail, errors by field.</summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    /// <summary>What the person reads: the detail, else the title.</summary>
    public string Message => string.IsNullOrWhiteSpace(Detail) ? Title : Detail;

    public static ApiProblem Unavailable(string service) => new(
        StatusCodes.Status503ServiceUnavailable,
        "Service indisponible",
        $"Le service {service} ne répond pas pour le moment. Réessayez dans quelques instants.",
        NoErrors);

    /// <summary>Reads a problem body; a body that is not one still gives a French message for its status.</summary>
    public static async Task<ApiProblem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string? title = null;
        string? detail = null;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (text.Length > 0)
            {
                using var json = JsonDocument.Parse(text);
                var root = json.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    title = StringOf(root, "title");
                    detail = StringOf(root, "detail");
                    if (root.TryGetProperty("errors", out var byField) && byField.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var field in byField.EnumerateObject())
                        {
                            errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                                ? field.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray()
                                : field.Value.ValueKind == JsonValueKind.String ? [field.Value.GetString()!] : [];
                        }
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's page, say): the status alone speaks.
        }

        return new ApiProblem(status, title ?? DefaultTitle(status), detail ?? DefaultDetail(status), errors);
    }

    private static string? StringOf(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string DefaultTitle(int status) => status switch
    {
        401 => "Authentification requise",
        403 => "Accès refusé",
        404 => "Introuvable",
        409 => "Conflit",
        413 => "Envoi trop volumineux",
        422 => "Données invalides",
        429 => "Trop de demandes",
        >= 500 => "Service indisponible",
        _ => "Erreur",
    };

    private static string DefaultDetail(int status) => status switch
    {
        403 => "Vous n'avez pas accès à cette ressource.",
        404 => "La ressource demandée n'existe pas.",
        413 => "L'envoi dépasse la taille autorisée.",
        429 => "Trop de demandes en peu de temps : réessayez dans quelques instants.",
        >= 500 => "Le service ne répond pas correctement. Réessayez dans quelques instants.",
        _ => "La demande n'a pas pu être traitée.",
    };
}
