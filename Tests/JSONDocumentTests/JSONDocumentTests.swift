import JSONDocument
import Testing

@Suite struct JSONDocumentTests {
    @Test(arguments: [
        #"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#,
        #"{"maxCallsPerAgent":1.50,"big":9007199254740993,"exp":1E+3,"neg":-0.0,"z":0}"#,
        #"["\u00e9\ud83d\ude00\n\t\"\\/",""]"#,
        #"{"z":1,"a":2,"m":3}"#,
    ])
    func serializingKeepsNumbersAndOrder(text: String) throws {
        let value = try JSONValue(parsing: text)
        // Reading what was written gives the same value, and numbers keep their spelling.
        let again = try JSONValue(parsing: value.serialized())
        #expect(again == value)
        if !text.contains("\\") { #expect(value.jsonText == text) }
    }

    @Test func numbersKeepTheirLiteral() throws {
        let value = try JSONValue(parsing: #"{"a":1.50,"b":7.0,"c":1.5,"d":3}"#)
        #expect(value["a"]?.numberValue?.literal == "1.50")
        #expect(value["a"]?.doubleValue == 1.5)
        #expect(value["b"]?.intValue == 7)
        #expect(value["c"]?.intValue == nil)
        #expect(value["d"]?.intValue == 3)
        #expect(value["a"] != value["c"], "1.50 and 1.5 are different spellings")
    }

    @Test func objectsKeepMemberOrderButCompareWithout() throws {
        let first = try JSONValue(parsing: #"{"b":1,"a":2}"#)
        let second = try JSONValue(parsing: #"{"a":2,"b":1}"#)
        #expect(first == second)
        #expect(first.objectValue?.keys == ["b", "a"])
        var edited = first
        edited["c"] = "new"
        edited["b"] = nil
        #expect(edited.jsonText == #"{"a":2,"c":"new"}"#)
    }

    @Test func aRepeatedMemberKeepsItsPlaceAndTheLastValue() throws {
        let value = try JSONValue(parsing: #"{"a":1,"b":2,"a":3}"#)
        #expect(value.jsonText == #"{"a":3,"b":2}"#)
    }

    @Test(arguments: [
        ("", 0), ("{", 1), (#"{"a" 1}"#, 5), ("[1,]", 3), ("01", 1), ("1.", 0), ("-", 0), (#""\x""#, 2),
        ("[1] 2", 4), ("tru", 0), ("\"\u{01}\"", 1), (#"{"a":1,}"#, 7),
    ])
    func malformedTextSaysWhere(text: String, offset: Int) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: text) }
        do {
            _ = try JSONValue(parsing: text)
        } catch {
            #expect(error.offset == offset, "\(text): \(error)")
        }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: [0x22, 0xFF, 0x22]) }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: deep) }
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: Never.self) { try JSONValue(parsing: fine) }
    }

    @Test func controlCharactersAreEscapedWhenWritten() {
        let value: JSONValue = ["text": .string("a\u{1B}[2Jb\u{7F}\"")]
        #expect(value.jsonText == #"{"text":"a\u001b[2Jb\u007f\""}"#)
    }

    @Test func prettyTextIsIndentedAndReadsBack() throws {
        let value = try JSONValue(parsing: #"{"a":[1,{"b":1.50}],"c":{},"d":[]}"#)
        #expect(
            value.prettyText
                == "{\n  \"a\": [\n    1,\n    {\n      \"b\": 1.50\n    }\n  ],\n  \"c\": {},\n  \"d\": []\n}\n")
        #expect(try JSONValue(parsing: value.prettyText) == value)
    }
}
