/// Ends a listing whose pages do not end: a server that reports a billion pages, or serves one page again
/// and again, is stopped with an error rather than read for hours.
struct PageGuard {
    /// 1,000 pages of 100 entities: far more than the outbound limits let an org hold.
    static let maxPages = 1_000

    /// The listing's request, for the error.
    let request: String
    private var previous: [String?]?

    init(request: String) {
        self.request = request
    }

    /// After page `pageNumber`, holding entities with these ids, and before the next is asked for.
    mutating func allowNext(after pageNumber: Int, ids: [String?], reportedPages: Int?) throws(GenesysError) {
        if let previous, !ids.isEmpty, ids == previous {
            throw GenesysError(
                kind: .invalidResponse, request: request,
                message: "page \(pageNumber) repeats page \(pageNumber - 1); the listing stopped there")
        }
        if pageNumber >= Self.maxPages {
            let reported = reportedPages.map { " (the server reports \($0) pages)" } ?? ""
            throw GenesysError(
                kind: .invalidResponse, request: request,
                message: "the listing stopped after \(Self.maxPages) pages\(reported)")
        }
        previous = ids
    }
}
