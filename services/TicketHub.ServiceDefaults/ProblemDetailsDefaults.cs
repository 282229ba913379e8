using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TicketHub.ServiceDefaults;

/// <summary>
/// Every error is an RFC 9457 ProblemDetails whose title and detail a person can read in French,
/// with the trace id so that support can find the request.
/// </summary>
public static class ProblemDetailsDefaults
{
    public static string TitleFor(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "Requête invalide",
        StatusCodes.Status401Unauthorized => "Authentification requise",
        StatusCodes.Status403Forbidden => "Accès refusé",
        StatusCodes.Status404NotFound => "Ressource introuvable",
        StatusCodes.Status405MethodNotAllowed => "Méthode non autorisée",
        StatusCodes.Status409Conflict => "Conflit",
        StatusCodes.Status413PayloadTooLarge => "Requête trop volumineuse",
        StatusCodes.Status415UnsupportedMediaType => "Type de contenu non pris en charge",
        StatusCodes.Status422UnprocessableEntity => "Données invalides",
        StatusCodes.Status429TooManyRequests => "Trop de requêtes",
        StatusCodes.Status502BadGateway => "Service en amont indisponible",
        StatusCodes.Status503ServiceUnavailable => "Service indisponible",
        StatusCodes.Status504GatewayTimeout => "Délai dépassé",
        >= 500 => "Erreur interne",
        _ => "Erreur",
    };

    public static string DetailFor(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "La requête est mal formée.",
        StatusCodes.Status401Unauthorized => "Connectez-vous au portail TicketHub, ou présentez une clé d'API valide.",
        StatusCodes.Status403Forbidden => "Vous n'avez pas accès à cette ressource.",
        StatusCodes.Status404NotFound => "La ressource demandée n'existe pas.",
        StatusCodes.Status405MethodNotAllowed => "Cette méthode HTTP n'est pas acceptée à cette adresse.",
        StatusCodes.Status413PayloadTooLarge => "Le corps de la requête dépasse la taille autorisée.",
        StatusCodes.Status415UnsupportedMediaType => "Ce type de contenu n'est pas accepté à cette adresse.",
        StatusCodes.Status429TooManyRequests => "Trop de demandes en peu de temps : réessayez dans quelques instants.",
        StatusCodes.Status502BadGateway => "Le service qui traite cette demande ne répond pas. Réessayez dans quelques instants.",
        StatusCodes.Status503ServiceUnavailable => "Le service est momentanément indisponible. Réessayez dans quelques instants.",
        >= 500 => "Une erreur inattendue s'est produite. Elle a été enregistrée ; réessayez plus tard.",
        _ => "La requête n'a pas pu être traitée.",
    };

    internal static IServiceCollection AddFrenchProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Status = status;
            if (string.IsNullOrEmpty(problem.Title) || IsFrameworkDefaultTitle(problem.Title))
            {
                problem.Title = TitleFor(status);
            }

            problem.Detail ??= DetailFor(status);
            problem.Instance ??= context.HttpContext.Request.Path;
            problem.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Binding failures (?limit=abc, a JSON body of the wrong shape) reach the handler above in
        // every environment, not only in Development, so that they are answered in French.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>
    /// Exception handler and status-code pages that answer with ProblemDetails, and a 415 for a
    /// request whose charset cannot be decoded.
    /// </summary>
    public static WebApplication UseFrenchProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestCharsetCheck();
        return app;
    }

    private static bool IsFrameworkDefaultTitle(string title) =>
        title.StartsWith("One or more validation errors", StringComparison.Ordinal)
        || title.StartsWith("An error occurred", StringComparison.Ordinal)
        || title is "Bad Request" or "Not Found" or "Unauthorized" or "Forbidden" or "Method Not Allowed"
            or "Conflict" or "Payload Too Large" or "Content Too Large" or "Unsupported Media Type"
            or "Unprocessable Entity" or "Unprocessable Content" or "Too Many Requests" or "Internal Server Error"
            or "Service Unavailable" or "Bad Gateway" or "Gateway Timeout";

    /// <summary>
    /// Kestrel's own rejections (body too large, bad framing) and the binding failures of minimal
    /// APIs become 4xx in French, never 500.
    /// </summary>
    private sealed class BadRequestExceptionHandler(IProblemDetailsService problems, ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException bad)
            {
                logger.LogError(exception, "Unhandled exception on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
                return false;
            }

            httpContext.Response.StatusCode = bad.StatusCode;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = BadRequestProblems.Describe(bad),
                Exception = exception,
            });
        }
    }
}
