/// Swift spellings of XSD names: the standard's names, in Swift casing.
enum SwiftNames {
    private static let keywords: Set<String> = ["default", "case", "class", "struct", "enum", "protocol", "extension",
        "func", "var", "let", "if", "else", "for", "while", "repeat", "switch", "return", "in", "is", "as", "self",
        "Self", "Type", "init", "deinit", "import", "operator", "static", "public", "private", "internal", "where",
        "true", "false", "nil", "throw", "throws", "try", "catch", "do", "break", "continue", "fallthrough", "guard",
        "defer", "inout", "subscript", "typealias", "associatedtype", "any", "some"]

    /// `EVSEProcessing` → `evseProcessing`, `SessionID` → `sessionID`, `EVCCID` → `evccid`,
    /// `PnC_AReqAuthorizationMode` → `pnC_AReqAuthorizationMode`.
    static func memberName(_ xsd: String) -> String {
        var chars = Array(sanitize(xsd))
        var i = 0
        while i < chars.count, chars[i].isUppercase {
            let nextIsLower = i + 1 < chars.count && chars[i + 1].isLowercase
            if i > 0 && nextIsLower { break }
            chars[i] = Character(chars[i].lowercased())
            i += 1
        }
        let s = String(chars)
        return keywords.contains(s) ? "`\(s)`" : s
    }

    /// `responseCodeType` → `ResponseCodeType`.
    static func typeName(_ xsd: String) -> String {
        let s = sanitize(xsd)
        guard let f = s.first else { return s }
        return f.uppercased() + s.dropFirst()
    }

    private static func sanitize(_ s: String) -> String {
        var out = String(s.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        if let f = out.first, f.isNumber { out = "_" + out }
        return out
    }

    /// A Swift string literal.
    static func literal(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
