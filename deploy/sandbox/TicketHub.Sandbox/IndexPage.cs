using TicketHub.Sandbox.Glpi;

namespace TicketHub.Sandbox;

internal static class IndexPage
{
    /// <summary><c>/</c>: the tools the sandbox emulates.</summary>
    public static IEndpointRouteBuilder MapIndexPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext http, GlpiStore store) =>
        {
            var api = GlpiResults.ApiUrl(http);
            return Html.Page(http, "Bac à sable TicketHub", $"""
                <h1>Bac à sable TicketHub</h1>
                <p>Outils externes émulés en mémoire pour les essais locaux. Rien n'est conservé à l'arrêt, sauf dans les fichiers d'état configurés (<code>StateFile</code>).</p>
                <table>
                  <tr><th>Outil</th><th>Ce qui est émulé</th><th>Adresse de l'API</th><th>Reçus</th></tr>
                  <tr><td><a href="/glpi">GLPI</a></td><td>API REST (apirest.php) : sessions, tickets, suivis, solutions, recherche, documents</td>
                      <td><code>{Html.Escape(api)}</code></td><td>{store.Tickets().Count}</td></tr>
                  {Itop.ItopPages.IndexRow(http)}
                  {PassOmere.ExternalToolPages.IndexRows(http)}
                  {Mail.MailPages.IndexRow(http)}
                </table>
                """);
        });
        return app;
    }
}
