using Refit;

namespace TicketHub.Connectors.Glpi.Glpi;

/// <summary>
/// GLPI's REST API (<c>apirest.php</c>), the part the hub uses. <see cref="GlpiSessionHandler"/>
/// adds the App-Token and Session-Token headers and renews an expired session.
/// </summary>
internal interface IGlpiApi
{
    /// <summary><c>201 {"id": 15, "message": ""}</c>; never retried blindly (see <c>GlpiTicketForwarder</c>).</summary>
    [Post("/Ticket")]
    Task<GlpiCreatedItem> CreateTicketAsync([Body] GlpiInput<GlpiTicketInput> ticket, CancellationToken cancellationToken);

    [Get("/Ticket/{id}")]
    Task<GlpiTicket> GetTicketAsync(int id, CancellationToken cancellationToken);

    /// <summary>
    /// Tickets whose <c>externalid</c> <em>contains</em> <paramref name="externalId"/> (GLPI's
    /// searchText is a LIKE); <paramref name="range"/> is <c>start-end</c>, inclusive. 206 and
    /// <c>Content-Range: start-end/total</c> when there are more.
    /// </summary>
    [Get("/Ticket")]
    Task<ApiResponse<List<GlpiTicket>>> ListTicketsByExternalIdAsync(
        [AliasAs("searchText[externalid]")] string externalId,
        string range,
        CancellationToken cancellationToken);

    /// <summary>GLPI's search engine; <paramref name="parameters"/> holds <c>criteria[0][field]</c>-style keys.</summary>
    [Get("/search/Ticket")]
    Task<ApiResponse<GlpiSearchResult>> SearchTicketsAsync(
        [Query] IDictionary<string, string> parameters,
        CancellationToken cancellationToken);

    [Post("/Ticket/{ticketId}/ITILFollowup")]
    Task<GlpiCreatedItem> AddFollowupAsync(int ticketId, [Body] GlpiInput<GlpiFollowupInput> followup, CancellationToken cancellationToken);

    /// <summary>One page (<paramref name="range"/> <c>start-end</c>) of the ticket's follow-ups the API account may see.</summary>
    [Get("/Ticket/{ticketId}/ITILFollowup")]
    Task<ApiResponse<List<GlpiFollowup>>> GetFollowupsAsync(int ticketId, string range, CancellationToken cancellationToken);

    /// <summary>One page of the ticket's solutions, refused ones included.</summary>
    [Get("/Ticket/{ticketId}/ITILSolution")]
    Task<ApiResponse<List<GlpiSolution>>> GetSolutionsAsync(int ticketId, string range, CancellationToken cancellationToken);

    /// <summary>The session's PHP <c>$_SESSION</c>: tells which user the API account is.</summary>
    [Get("/getFullSession")]
    Task<GlpiFullSession> GetFullSessionAsync(CancellationToken cancellationToken);

    [Get("/User/{id}")]
    Task<GlpiUser> GetUserAsync(int id, CancellationToken cancellationToken);

    /// <summary>
    /// Uploads a document (multipart: <c>uploadManifest</c> and <c>filename[0]</c>, see
    /// <see cref="GlpiDocumentUpload"/>): <c>201 {"id": 4, "message": "Document move succeeded.", …}</c>.
    /// Never retried blindly (see <c>GlpiDocuments</c>).
    /// </summary>
    [Post("/Document")]
    Task<GlpiCreatedItem> UploadDocumentAsync([Body] HttpContent upload, CancellationToken cancellationToken);

    /// <summary>Documents whose name <em>contains</em> <paramref name="name"/> (a LIKE), one page (<paramref name="range"/>).</summary>
    [Get("/Document")]
    Task<ApiResponse<List<GlpiDocument>>> ListDocumentsByNameAsync(
        [AliasAs("searchText[name]")] string name,
        string range,
        CancellationToken cancellationToken);

    /// <summary>One page of the items a document is linked to.</summary>
    [Get("/Document/{documentId}/Document_Item")]
    Task<ApiResponse<List<GlpiDocumentItem>>> GetDocumentLinksAsync(int documentId, string range, CancellationToken cancellationToken);

    [Post("/Document_Item")]
    Task<GlpiCreatedItem> LinkDocumentAsync([Body] GlpiInput<GlpiDocumentItemInput> link, CancellationToken cancellationToken);
}

/// <summary>
/// Session endpoints, on a client of their own so that the session handler can call them.
/// <see cref="GlpiLoginHandler"/> adds the credentials.
/// </summary>
internal interface IGlpiSessionApi
{
    /// <summary>Logs in with the API account's remote access key (<c>Authorization: user_token …</c>).</summary>
    [Get("/initSession")]
    Task<GlpiSessionToken> InitSessionAsync(CancellationToken cancellationToken);

    [Get("/killSession")]
    Task KillSessionAsync([Property(GlpiLoginHandler.SessionOption)] string sessionToken, CancellationToken cancellationToken);
}
