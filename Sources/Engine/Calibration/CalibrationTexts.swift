/// The built-in calibration set: what a notes-and-code folder holds, short enough that a pass over it
/// in every candidate precision takes seconds. Prose in three languages, code, CJK, emoji, numbers and
/// markup; instructed queries; reranker pairs with relevant and irrelevant documents.
enum CalibrationTexts {
    static let documents: [String] = [
        "Sourdough starter: feed it equal weights of flour and water every twelve hours, and keep it somewhere warm until it doubles.",
        "Meeting notes, 14 March: the budget for the second quarter is tight; travel is cut by 30 %, and hiring waits until July.",
        "Der Zug nach München fährt um 7:42 von Gleis 3; die Rückfahrt ist am Freitag, wenn nichts dazwischenkommt.",
        "La réunion de lundi est reportée à mercredi matin ; apportez les chiffres de ventes du trimestre précédent.",
        "func reconcile(_ ledger: inout Ledger, with statement: Statement) throws {\n    for entry in statement.entries where !ledger.contains(entry) {\n        try ledger.append(entry)\n    }\n}",
        "def moving_average(values, window=7):\n    total = sum(values[:window])\n    for index in range(window, len(values)):\n        yield total / window\n        total += values[index] - values[index - window]",
        "東京の桜は三月の終わりに咲き始め、四月の初めに満開になります。上野公園はとても混雑します。",
        "서울에서 부산까지 KTX로 약 두 시간 반이 걸립니다. 주말에는 표를 미리 예매하세요.",
        "Packing list 🧳: passport, charger 🔌, two shirts, rain jacket ☔, the blue notebook, and snacks for the train 🍫.",
        "| metric | January | February |\n| --- | --- | --- |\n| revenue | 12,400 | 13,950 |\n| churn | 2.1% | 1.8% |",
        "SELECT customer_id, SUM(amount) AS total FROM orders WHERE created_at >= '2026-01-01' GROUP BY customer_id ORDER BY total DESC LIMIT 10;",
        "The TCP handshake sends SYN, then SYN-ACK, then ACK; a firewall that drops the SYN-ACK leaves the client waiting until its timeout.",
    ]

    static let instruction = "Given a search query, retrieve relevant passages from personal notes"

    static let queries: [String] = [
        "how do I keep a sourdough starter alive",
        "Q2 budget travel cuts",
        "Zug nach München Abfahrt",
        "桜 満開 いつ",
        "function that reconciles a ledger with a bank statement",
        "why does the client hang during the TCP handshake",
    ]

    /// Reranker pairs: (query, document index).
    static let rerankPairs: [(query: Int, document: Int)] = [(0, 0), (0, 1), (1, 1), (4, 4), (4, 5), (5, 11)]
}
