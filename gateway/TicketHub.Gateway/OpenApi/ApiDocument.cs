using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using TicketHub.ServiceDefaults;

namespace TicketHub.Gateway.OpenApi;

/// <summary>
/// The public API's description, for whoever scripts against the hub (an infogérant, a Rectorat):
/// <c>/api/v1/openapi.json</c>, one OpenAPI 3.1 document merged from the documents intake and the
/// classifier generate from their own endpoints (<c>/openapi/v1.json</c>), and <c>/api/v1/reference</c>,
/// the same as a readable page. Both anonymous: they describe the API, not its data. The services'
/// documents are read when asked, kept a minute.
/// </summary>
public static class ApiDocument
{
    public const string DocumentPath = "/api/v1/openapi.json";
    public const string ReferencePath = "/api/v1/reference";

    /// <summary>The clusters whose API the gateway publishes (the portal has none).</summary>
    public static readonly string[] Services = ["intake", "classifier"];

    public static IHostApplicationBuilder AddApiDocument(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpClient(nameof(ApiDocumentSource), client => client.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<ApiDocumentSource>();
        return builder;
    }

    public static WebApplication MapApiDocument(this WebApplication app)
    {
        app.MapGet(DocumentPath, async (ApiDocumentSource source, CancellationToken cancellationToken) =>
                await source.GetAsync(cancellationToken) is { } document
                    ? Results.Text(document.ToJsonString(JsonOptions), "application/json; charset=utf-8")
                    : Unavailable())
            .AllowAnonymous();
        app.MapGet(ReferencePath, async (HttpContext context, ApiDocumentSource source, CancellationToken cancellationToken) =>
            {
                if (await source.GetAsync(cancellationToken) is not { } document)
                {
                    return Unavailable();
                }

                context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return Results.Content(ReferencePage.Render(document), "text/html; charset=utf-8", Encoding.UTF8);
            })
            .AllowAnonymous();
        return app;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    private static IResult Unavailable() =>
        Problems.Of(StatusCodes.Status503ServiceUnavailable, "La description de l'API n'est pas disponible : un service ne répond pas. Réessayez dans un instant.");
}

/// <summary>Reads and merges the services' documents; the last merge is kept a minute.</summary>
public sealed partial class ApiDocumentSource(IHttpClientFactory clients, IConfiguration configuration, TimeProvider clock, ILogger<ApiDocumentSource> logger)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (JsonObject Document, DateTimeOffset At)? _last;

    public async Task<JsonObject?> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } last && clock.GetUtcNow() - last.At < KeepFor)
            {
                return (JsonObject)last.Document.DeepClone();
            }

            var documents = new List<JsonObject>();
            foreach (var service in ApiDocument.Services)
            {
                var address = configuration[$"ReverseProxy:Clusters:{service}:Destinations:primary:Address"];
                try
                {
                    var client = clients.CreateClient(nameof(ApiDocumentSource));
                    var text = await client.GetStringAsync(new Uri(new Uri(address!), "openapi/v1.json"), cancellationToken);
                    documents.Add(JsonNode.Parse(text)!.AsObject());
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or UriFormatException or ArgumentNullException)
                {
                    LogUnavailable(service, ex.Message);
                    return null;
                }
            }

            var merged = Merge(documents);
            _last = (merged, clock.GetUtcNow());
            return (JsonObject)merged.DeepClone();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The services' <c>/api</c> paths and their schemas in one document, with how a caller signs in.</summary>
    public static JsonObject Merge(IReadOnlyList<JsonObject> documents)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        var tags = new JsonArray();
        var tagNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            foreach (var (path, item) in document["paths"]?.AsObject() ?? [])
            {
                if (path.StartsWith("/api/", StringComparison.Ordinal) && !paths.ContainsKey(path))
                {
                    paths[path] = item!.DeepClone();
                }
            }

            foreach (var (name, schema) in document["components"]?["schemas"]?.AsObject() ?? [])
            {
                if (!schemas.ContainsKey(name))
                {
                    schemas[name] = schema!.DeepClone();
                }
            }

            foreach (var tag in document["tags"]?.AsArray() ?? [])
            {
                if (tag?["name"]?.GetValue<string>() is { } name && tagNames.Add(name))
                {
                    tags.Add(tag.DeepClone());
                }
            }
        }

        return new JsonObject
        {
            ["openapi"] = documents.FirstOrDefault()?["openapi"]?.GetValue<string>() ?? "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = "TicketHub — API v1",
                ["version"] = "v1",
                ["description"] = "L'API publique de TicketHub, décrite à partir des services qui la servent (intake, classifier) et publiée par la passerelle. "
                    + "Chaque appel se fait avec une clé d'API (en-tête X-Api-Key) ou, depuis un navigateur, avec la session ouverte sur /connexion "
                    + "(une écriture porte alors l'en-tête X-TicketHub-Csrf: 1). Les erreurs sont au format RFC 9457 (application/problem+json), en français.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/", ["description"] = "La passerelle TicketHub" }),
            ["security"] = new JsonArray(new JsonObject { ["apiKey"] = new JsonArray() }, new JsonObject { ["session"] = new JsonArray() }),
            ["tags"] = tags,
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JsonObject
                {
                    ["apiKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "X-Api-Key", ["description"] = "Clé d'API : thk_<id>_<secret>." },
                    ["session"] = new JsonObject { ["type"] = "apiKey", ["in"] = "cookie", ["name"] = "__Host-TicketHub", ["description"] = "Session ouverte sur /connexion ; les écritures portent X-TicketHub-Csrf: 1." },
                },
            },
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The API description of {Service} could not be read: {Reason}")]
    private partial void LogUnavailable(string service, string reason);
}

/// <summary>The document as a page a person reads: each operation, its parameters and its answers, in French.</summary>
internal static class ReferencePage
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    public static string Render(JsonObject document)
    {
        var html = new StringBuilder();
        string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        html.Append("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>")
            .Append(E(document["info"]?["title"]?.GetValue<string>())).Append("</title></head><body><main>")
            .Append("<h1>").Append(E(document["info"]?["title"]?.GetValue<string>())).Append("</h1>")
            .Append("<p>").Append(E(document["info"]?["description"]?.GetValue<string>())).Append("</p>")
            .Append("<p>Le document OpenAPI 3.1 : <a href=\"").Append(ApiDocument.DocumentPath).Append("\">").Append(ApiDocument.DocumentPath).Append("</a>.</p>");
        foreach (var (path, item) in document["paths"]?.AsObject() ?? [])
        {
            foreach (var method in Methods)
            {
                if (item?[method] is not JsonObject operation)
                {
                    continue;
                }

                html.Append("<section><h2><code>").Append(method.ToUpperInvariant()).Append(' ').Append(E(path)).Append("</code></h2>");
                if (operation["summary"]?.GetValue<string>() is { } summary)
                {
                    html.Append("<p><strong>").Append(E(summary)).Append("</strong></p>");
                }

                if (operation["description"]?.GetValue<string>() is { } description)
                {
                    html.Append("<p>").Append(E(description)).Append("</p>");
                }

                if (operation["parameters"]?.AsArray() is { Count: > 0 } parameters)
                {
                    html.Append("<table><caption>Paramètres</caption><thead><tr><th scope=\"col\">Nom</th><th scope=\"col\">Où</th><th scope=\"col\">Obligatoire</th></tr></thead><tbody>");
                    foreach (var parameter in parameters)
                    {
                        html.Append("<tr><td><code>").Append(E(parameter?["name"]?.GetValue<string>())).Append("</code></td><td>")
                            .Append(E(parameter?["in"]?.GetValue<string>())).Append("</td><td>")
                            .Append(parameter?["required"]?.GetValue<bool>() == true ? "oui" : "non").Append("</td></tr>");
                    }

                    html.Append("</tbody></table>");
                }

                if (operation["requestBody"]?["content"]?.AsObject() is { } bodies)
                {
                    html.Append("<p>Corps : ").Append(E(string.Join(", ", bodies.Select(b => b.Key)))).Append("</p>");
                }

                html.Append("<table><caption>Réponses</caption><thead><tr><th scope=\"col\">Code</th><th scope=\"col\">Signification</th></tr></thead><tbody>");
                foreach (var (status, response) in operation["responses"]?.AsObject() ?? [])
                {
                    html.Append("<tr><td>").Append(E(status)).Append("</td><td>").Append(E(response?["description"]?.GetValue<string>())).Append("</td></tr>");
                }

                html.Append("</tbody></table></section>");
            }
        }

        return html.Append("</main></body></html>").ToString();
    }
}
