using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TicketHub.Portal.Security;
using TicketHub.Portal.Services;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Portal.Pages.Shared;

/// <summary>What every page shares: the signed-in user, and how a service's refusal becomes a page.</summary>
public abstract class PortalPageModel : PageModel
{
    /// <summary>The signed-in user: every page needs one (fallback policy), so it is always there.</summary>
    public HubUser CurrentUser => HttpContext.HubUser();

    /// <summary>
    /// The page to show when a service refuses outright: the French 403 page (which says nothing of
    /// what was asked), 404, or the login page when the session has ended. Null for other problems,
    /// which the page shows in its own words.
    /// </summary>
    protected IActionResult? Refusal(ApiProblem problem) => problem.Status switch
    {
        StatusCodes.Status401Unauthorized => Redirect(PortalAuthorization.LoginUrl(Request)),
        StatusCodes.Status403Forbidden => StatusCode(StatusCodes.Status403Forbidden),
        StatusCodes.Status404NotFound => StatusCode(StatusCodes.Status404NotFound),
        _ => null,
    };
}
