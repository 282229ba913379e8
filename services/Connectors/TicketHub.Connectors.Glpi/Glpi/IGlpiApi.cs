using Refit;

namespace TicketHub.Connectors.Glpi.Glpi;

/// <summary>
/// GLPI's REST API (<c>apirest.php</c>), the part the hub uses. <see cref="GlpiSessionHandler"/>
/// adds the App-Token and Session-Token headers and renews an expired session.
/// </summary>
internal interface IGlpiApi
{
    /// <summary><c>201 {"id": 15, "message": ""}</c>; never retried blindly (see <c>GlpiDelivery</c>).</summary>
    [Post("/Ticket")]
    Task<GlpiCreatedItem> CreateTicketAsync([Body] GlpiInput<GlpiTicketInput> ticket, CancellationToken cancellationToken);

    [Get("/Ticket/{id}")]
    Task<GlpiTicket> GetTicketAsync(int id, CancellationToken cancellationToken);

    /// <summary>
    /// GLPI's search engine; <paramref name="parameters"/> holds <c>criteria[0][field]</c>-style keys.
    /// The raw answer: GLPI 10 can answer 200 with an empty HTML body, which must not read as "nothing
    /// found" (<see cref="GlpiApiExtensions"/> reads it strictly).
    /// </summary>
    [Get("/search/Ticket")]
    Task<HttpResponseMessage> SearchTicketsAsync(
        [Query] IDictionary<string, string> parameters,
        CancellationToken cancellationToken);

    /// <summary>The search engine on users (option 5: e-mails, 8: active).</summary>
    [Get("/search/User")]
    Task<HttpResponseMessage> SearchUsersAsync(
        [Query] IDictionary<string, string> parameters,
        CancellationToken cancellationToken);

    /// <summary>Ticket's search options, keyed by id: tells whether this GLPI has <c>externalid</c> (GLPI 11) and under which id.</summary>
    [Get("/listSearchOptions/Ticket")]
    Task<HttpResponseMessage> ListTicketSearchOptionsAsync(CancellationToken cancellationToken);

    /// <summary>The ticket's requesters, technicians and observers.</summary>
    [Get("/Ticket/{ticketId}/Ticket_User")]
    Task<List<GlpiTicketUser>> GetTicketUsersAsync(int ticketId, CancellationToken cancellationToken);

    [Post("/Ticket/{ticketId}/ITILFollowup")]
    Task<GlpiCreatedItem> AddFollowupAsync(int ticketId, [Body] GlpiInput<GlpiFollowupInput> followup, CancellationToken cancellationToken);

    /// <summary>One page (<paramref name="range"/> <c>start-end</c>) of the ticket's follow-ups the API account may see.</summary>
    [Get("/Ticket/{ticketId}/ITILFollowup")]
    Task<ApiResponse<List<GlpiFollowup>>> GetFollowupsAsync(int ticketId, string range, CancellationToken cancellationToken);

    /// <summary>Solves the ticket (status 5; GLPI closes it by its own rules: approval, the entity's delay); never retried blindly.</summary>
    [Post("/Ticket/{ticketId}/ITILSolution")]
    Task<GlpiCreatedItem> AddSolutionAsync(int ticketId, [Body] GlpiInput<GlpiTimelineInput> solution, CancellationToken cancellationToken);

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

    /// <summary>One page of the documents linked to the ticket (<c>documents_id</c> of each link).</summary>
    [Get("/Ticket/{ticketId}/Document_Item")]
    Task<ApiResponse<List<GlpiDocumentItem>>> GetTicketDocumentLinksAsync(int ticketId, string range, CancellationToken cancellationToken);

    /// <summary>A document's fields (not its file: that takes <c>Accept: application/octet-stream</c>), its <c>sha1sum</c> included.</summary>
    [Get("/Document/{documentId}")]
    Task<GlpiDocument> GetDocumentAsync(int documentId, CancellationToken cancellationToken);

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
