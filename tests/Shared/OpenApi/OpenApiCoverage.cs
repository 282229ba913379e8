using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.DependencyInjection;

namespace TicketHub.Testing.OpenApi;

/// <summary>
/// Compares a service's OpenAPI document with the endpoints the service really maps (ASP.NET Core's
/// API explorer): every <c>/api</c> endpoint, each of its path and query parameters, and each status
/// it declares must be in the document, with the answers every API call can get (401, 403).
/// </summary>
public static class OpenApiCoverage
{
    public static IReadOnlyList<string> Missing(IServiceProvider services, JsonObject document)
    {
        var missing = new List<string>();
        var paths = document["paths"]?.AsObject() ?? [];
        var endpoints = services.GetRequiredService<IApiDescriptionGroupCollectionProvider>().ApiDescriptionGroups.Items
            .SelectMany(group => group.Items)
            .Where(api => (api.RelativePath ?? "").StartsWith("api/", StringComparison.Ordinal))
            .ToList();
        if (endpoints.Count == 0)
        {
            missing.Add("no /api endpoint found: the API explorer sees nothing");
        }

        foreach (var api in endpoints)
        {
            // A group's root ("api/v1/tickets/") is the path without its trailing slash in the document.
            var path = "/" + api.RelativePath!.Split('?')[0].TrimEnd('/');
            var method = (api.HttpMethod ?? "GET").ToLowerInvariant();
            var name = $"{method.ToUpperInvariant()} {path}";
            if (paths[path]?[method] is not JsonObject operation)
            {
                missing.Add($"{name}: no operation");
                continue;
            }

            var parameters = (operation["parameters"]?.AsArray() ?? [])
                .Select(p => $"{p!["in"]}:{p["name"]}")
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var parameter in api.ParameterDescriptions.Where(p => p.Source == BindingSource.Path || p.Source == BindingSource.Query))
            {
                var where = parameter.Source == BindingSource.Path ? "path" : "query";
                if (!parameters.Contains($"{where}:{parameter.Name}"))
                {
                    missing.Add($"{name}: parameter {parameter.Name} ({where})");
                }
            }

            var responses = operation["responses"]?.AsObject() ?? [];
            var statuses = api.SupportedResponseTypes.Select(r => r.StatusCode).Concat([401, 403]).Distinct();
            foreach (var status in statuses)
            {
                if (!responses.ContainsKey(status.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                {
                    missing.Add($"{name}: status {status}");
                }
            }
        }

        return missing;
    }
}
