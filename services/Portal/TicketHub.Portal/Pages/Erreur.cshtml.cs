using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace TicketHub.Portal.Pages;

/// <summary>
/// Every error as a French page (status-code pages and the exception handler re-execute here). The
/// 403 page is the same whatever was asked: it never says whether a ticket exists.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErreurModel : PageModel
{
    public int Code { get; private set; }

    public string Heading { get; private set; } = "";

    public string Text { get; private set; } = "";

    public IActionResult OnGet(int? code) => Show(code);

    public IActionResult OnPost(int? code) => Show(code);

    private PageResult Show(int? code)
    {
        var failure = HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        Code = failure is BadHttpRequestException bad ? bad.StatusCode : code ?? StatusCodes.Status500InternalServerError;
        (Heading, Text) = Code switch
        {
            StatusCodes.Status400BadRequest when PortalServiceExtensions.IsAntiforgeryFailure(HttpContext) =>
                ("Le formulaire a expiré", "Pour votre sécurité, le formulaire n'est valable qu'un temps limité et depuis cette page. Revenez en arrière, rechargez la page, puis envoyez-le à nouveau."),
            StatusCodes.Status400BadRequest => ("Requête invalide", "La page n'a pas compris ce qui lui a été envoyé. Revenez en arrière et réessayez."),
            StatusCodes.Status403Forbidden => ("Accès refusé", "Vous n'avez pas accès à cette page ou à cette demande avec votre compte."),
            StatusCodes.Status404NotFound => ("Page introuvable", "La page que vous cherchez n'existe pas ou a changé d'adresse."),
            StatusCodes.Status405MethodNotAllowed => ("Action impossible", "Cette page ne peut pas être utilisée de cette façon."),
            StatusCodes.Status413PayloadTooLarge => ("Envoi trop volumineux", "Les fichiers joints dépassent la taille autorisée : 5 fichiers au plus, 10 Mo chacun."),
            StatusCodes.Status429TooManyRequests => ("Trop de demandes", "Trop de demandes en peu de temps : patientez quelques instants avant de réessayer."),
            StatusCodes.Status503ServiceUnavailable => ("Service indisponible", "Un des services de TicketHub ne répond pas pour le moment. Réessayez dans quelques instants."),
            _ => ("Une erreur est survenue", "Une erreur inattendue s'est produite. Elle a été enregistrée ; réessayez plus tard."),
        };
        if (failure is not null || Response.StatusCode < 400)
        {
            Response.StatusCode = Code;
        }

        ViewData["Title"] = Heading;
        return Page();
    }
}
