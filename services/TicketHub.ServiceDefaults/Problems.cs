using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace TicketHub.ServiceDefaults;

/// <summary>RFC 9457 answers with a French title and detail, for every service's minimal APIs.</summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string detail) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = status,
            Title = ProblemDetailsDefaults.TitleFor(status),
            Detail = detail,
        });

    /// <param name="status">422 for a body that is well formed but wrong (the default), 400 for a query string's parameters.</param>
    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, string detail, int status = StatusCodes.Status422UnprocessableEntity) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = status,
            Title = ProblemDetailsDefaults.TitleFor(status),
            Detail = detail,
        });
}
