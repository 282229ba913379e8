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

    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, string detail) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = ProblemDetailsDefaults.TitleFor(StatusCodes.Status422UnprocessableEntity),
            Detail = detail,
        });
}
